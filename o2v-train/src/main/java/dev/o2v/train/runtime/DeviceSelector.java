package dev.o2v.train.runtime;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.util.function.IntSupplier;

/**
 * Turns a {@link DeviceChoice} into a DJL {@link Device}.
 *
 * <p>The number of visible GPUs is injected so the GPU paths are testable on a CPU-only machine.
 * DJL only reports a GPU when CUDA natives for libtorch 2.7.1 are installed and {@code
 * libcudart.so} loads; the README explains how to get them.
 */
public final class DeviceSelector {

  private final IntSupplier gpuCount;

  /** A selector that asks the PyTorch engine how many GPUs it sees. */
  public static DeviceSelector forEngine() {
    return new DeviceSelector(() -> Engine.getEngine("PyTorch").getGpuCount());
  }

  /** A selector over an injected GPU count (for tests). */
  public DeviceSelector(IntSupplier gpuCount) {
    this.gpuCount = gpuCount;
  }

  /**
   * The device to run on.
   *
   * @throws NoGpuException when {@code GPU} is requested and no GPU is visible
   */
  public Device select(DeviceChoice choice) {
    switch (choice) {
      case CPU:
        return Device.cpu();
      case GPU:
        if (gpuCount.getAsInt() == 0) {
          throw new NoGpuException();
        }
        return Device.gpu(0);
      case AUTO:
        return gpuCount.getAsInt() > 0 ? Device.gpu(0) : Device.cpu();
      default:
        throw new IllegalStateException("unhandled device choice " + choice);
    }
  }

  /** Raised when {@code --device gpu} is asked for on a machine where the engine sees no GPU. */
  public static final class NoGpuException extends RuntimeException {
    NoGpuException() {
      super(
          "--device gpu: the PyTorch engine sees no CUDA GPU (CPU natives loaded, or libcudart.so"
              + " not found); see the README section 'GPU' for CUDA natives, or use --device auto");
    }
  }
}
