package dev.o2v.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.o2v.core.io.DirectBuffer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Creates engine tensors from Java arrays without leaving a direct buffer behind per call.
 *
 * <p>Handed a Java array, DJL's PyTorch engine copies it into a fresh direct buffer and, on the
 * CPU, makes that buffer the tensor's storage. Closing the tensor does not free the buffer: the
 * JDK frees direct memory only when a collection finds it unreachable, so every batch's ids,
 * lengths and labels (about a megabyte per epoch of MovieLens-sized batches) pile up outside the
 * heap between collections. Here each thread stages its arrays in one reused direct buffer, the
 * engine wraps it, and a clone, whose storage the engine's own allocator frees on close, is what
 * the caller gets; the wrapper is closed before the buffer is reused.
 */
public final class HostTensors {

  private static final ThreadLocal<Staging> STAGING = ThreadLocal.withInitial(Staging::new);

  private HostTensors() {}

  /** An int32 tensor of {@code shape} holding {@code values} (row-major). */
  public static NDArray ints(NDManager manager, int[] values, Shape shape) {
    checkSize(values.length, shape);
    ByteBuffer staged = STAGING.get().bytes(values.length * Integer.BYTES);
    staged.asIntBuffer().put(values);
    return fromStaged(manager, staged, shape, DataType.INT32);
  }

  /** A one-dimensional int32 tensor holding {@code values}. */
  public static NDArray ints(NDManager manager, int[] values) {
    return ints(manager, values, new Shape(values.length));
  }

  /** A one-dimensional int64 tensor holding {@code values}. */
  public static NDArray longs(NDManager manager, long[] values) {
    ByteBuffer staged = STAGING.get().bytes(values.length * Long.BYTES);
    staged.asLongBuffer().put(values);
    return fromStaged(manager, staged, new Shape(values.length), DataType.INT64);
  }

  /** A one-dimensional float32 tensor holding {@code values}. */
  public static NDArray floats(NDManager manager, float[] values) {
    ByteBuffer staged = STAGING.get().bytes(values.length * Float.BYTES);
    staged.asFloatBuffer().put(values);
    return fromStaged(manager, staged, new Shape(values.length), DataType.FLOAT32);
  }

  private static NDArray fromStaged(
      NDManager manager, ByteBuffer staged, Shape shape, DataType type) {
    if (shape.size() == 0) {
      return manager.create(shape, type);
    }
    NDArray wrapper = manager.create(staged, shape, type);
    if (wrapper.getDevice().isGpu()) {
      return wrapper; // the engine copied it to the GPU and keeps no hold on the buffer
    }
    try (wrapper) {
      return wrapper.duplicate();
    }
  }

  private static void checkSize(int length, Shape shape) {
    if (shape.size() != length) {
      throw new IllegalArgumentException(
          "shape " + shape + " holds " + shape.size() + " values, found " + length);
    }
  }

  /** One thread's staging buffer, replaced by a larger one when a call needs more room. */
  private static final class Staging {
    private DirectBuffer buffer = DirectBuffer.allocate(4096);

    /** The first {@code size} bytes of the buffer, native byte order, position 0. */
    ByteBuffer bytes(int size) {
      if (buffer.bytes().capacity() < size) {
        DirectBuffer grown = DirectBuffer.allocate(Math.max(size, 2 * buffer.bytes().capacity()));
        buffer.close();
        buffer = grown;
      }
      return buffer.bytes().duplicate().clear().limit(size).slice().order(ByteOrder.nativeOrder());
    }
  }
}
