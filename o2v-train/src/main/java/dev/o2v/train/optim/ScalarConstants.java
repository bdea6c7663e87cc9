package dev.o2v.train.optim;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.HashMap;
import java.util.Map;

/**
 * Caches 0-d float32 tensors per device so that scalar arithmetic costs one native call.
 *
 * <p>DJL's {@code muli(Number)} creates, uses and frees a scalar tensor: three native calls. An
 * op with a cached 0-d tensor is one. A 0-d operand never changes the other operand's data type.
 */
final class ScalarConstants {

  private final NDManager manager;
  private final Map<Device, Map<Float, NDArray>> cache = new HashMap<>();

  /** Creates a cache whose tensors live in {@code manager} (closed by its owner). */
  ScalarConstants(NDManager manager) {
    this.manager = manager;
  }

  /** A 0-d tensor holding {@code value} on the device of {@code like}. */
  NDArray of(NDArray like, float value) {
    Device device = like.getDevice();
    return cache
        .computeIfAbsent(device, d -> new HashMap<>())
        .computeIfAbsent(value, v -> create(device, v));
  }

  private NDArray create(Device device, float value) {
    NDArray scalar = manager.create(value);
    if (scalar.getDevice().equals(device)) {
      return scalar;
    }
    NDArray moved = scalar.toDevice(device, false);
    scalar.close();
    return moved;
  }
}
