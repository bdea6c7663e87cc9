package dev.o2v.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import dev.o2v.core.io.DirectBuffer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.function.Consumer;

/**
 * Creates engine tensors from Java arrays without leaving a direct buffer behind per call.
 *
 * <p>Handed a Java array, DJL's PyTorch engine copies it into a fresh direct buffer and, on the
 * CPU, makes that buffer the tensor's storage. Closing the tensor does not free the buffer: the
 * JDK frees direct memory only when a collection finds it unreachable, so every batch's ids,
 * lengths and labels (about a megabyte per epoch of MovieLens-sized batches) pile up outside the
 * heap between collections. Here each thread stages its arrays in one reused direct buffer, the
 * engine wraps it, and a clone, whose storage the engine's own allocator frees on close, is what
 * the caller gets; the wrapper is closed before the buffer is reused. A thread keeps at most
 * {@link #KEPT_BYTES} of staging memory; larger arrays get a buffer of their own, freed at once.
 */
public final class HostTensors {

  /** Staging buffers up to this size stay with their thread; larger ones are freed after use. */
  private static final int KEPT_BYTES = 1 << 20;

  private static final ThreadLocal<Staging> STAGING = ThreadLocal.withInitial(Staging::new);

  private HostTensors() {}

  /** An int32 tensor of {@code shape} holding {@code values} (row-major). */
  public static NDArray ints(NDManager manager, int[] values, Shape shape) {
    if (shape.size() != values.length) {
      throw new IllegalArgumentException(
          "shape " + shape + " holds " + shape.size() + " values, found " + values.length);
    }
    return create(manager, shape, DataType.INT32, staged -> staged.asIntBuffer().put(values));
  }

  /** A one-dimensional int32 tensor holding {@code values}. */
  public static NDArray ints(NDManager manager, int[] values) {
    return ints(manager, values, new Shape(values.length));
  }

  /** A one-dimensional int64 tensor holding {@code values}. */
  public static NDArray longs(NDManager manager, long[] values) {
    return create(manager, new Shape(values.length), DataType.INT64,
        staged -> staged.asLongBuffer().put(values));
  }

  /** A one-dimensional float32 tensor holding {@code values}. */
  public static NDArray floats(NDManager manager, float[] values) {
    return create(manager, new Shape(values.length), DataType.FLOAT32,
        staged -> staged.asFloatBuffer().put(values));
  }

  /**
   * The sparse matrix of {@code shape} with a 1 at each of the {@code n} coordinates {@code
   * (coordinates[i], coordinates[n + i])}, repeated ones adding up; its indices and values live
   * in the engine's own memory (a {@link dev.o2v.encoders.encoder.TokenMatrixFactory}).
   */
  public static NDArray sparseCounts(NDManager manager, long[] coordinates, Shape shape) {
    int n = coordinates.length / 2;
    try (NDArray flat = longs(manager, coordinates);
        NDArray indices = flat.reshape(2, n);
        NDArray ones = manager.ones(new Shape(n))) {
      return JniUtils.createSparseCoo((PtNDArray) indices, (PtNDArray) ones, shape);
    }
  }

  private static NDArray create(
      NDManager manager, Shape shape, DataType type, Consumer<ByteBuffer> fill) {
    if (shape.size() == 0) {
      return manager.create(shape, type);
    }
    Staging staging = STAGING.get();
    ByteBuffer staged = staging.take(Math.toIntExact(shape.size() * type.getNumOfBytes()));
    try {
      fill.accept(staged);
      NDArray wrapper = manager.create(staged, shape, type);
      if (wrapper.getDevice().isGpu()) {
        return wrapper; // the engine copied it to the GPU and keeps no hold on the buffer
      }
      try (wrapper) {
        return wrapper.duplicate();
      }
    } finally {
      staging.release();
    }
  }

  /**
   * One thread's staging memory: a kept buffer, replaced by a larger one up to {@link
   * #KEPT_BYTES} when a call needs more room, and a one-off buffer for larger calls.
   */
  private static final class Staging {
    private DirectBuffer kept = DirectBuffer.allocate(4096);
    private DirectBuffer oneOff;

    /** {@code size} bytes to fill, native byte order, position 0; valid until {@link #release}. */
    ByteBuffer take(int size) {
      DirectBuffer buffer;
      if (size > KEPT_BYTES) {
        oneOff = DirectBuffer.allocate(size);
        buffer = oneOff;
      } else {
        if (kept.bytes().capacity() < size) {
          int grownSize = Math.min(KEPT_BYTES, Math.max(size, 2 * kept.bytes().capacity()));
          DirectBuffer grown = DirectBuffer.allocate(grownSize);
          kept.close();
          kept = grown;
        }
        buffer = kept;
      }
      return buffer.bytes().duplicate().clear().limit(size).slice().order(ByteOrder.nativeOrder());
    }

    /** Frees the one-off buffer of the last {@link #take}, if it needed one. */
    void release() {
      if (oneOff != null) {
        oneOff.close();
        oneOff = null;
      }
    }
  }
}
