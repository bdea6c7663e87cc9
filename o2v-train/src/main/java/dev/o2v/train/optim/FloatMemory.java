package dev.o2v.train.optim;

import ai.djl.ndarray.NDArray;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/**
 * A float32 array's own host memory, seen as floats (for bulk copies into Java arrays) and as
 * bytes in the machine's order (for the vector kernel's loads and stores): two views of the same
 * memory, not copies.
 */
record FloatMemory(FloatBuffer floats, ByteBuffer bytes) {

  /**
   * The memory of {@code array}, which {@link AdamRowKernel#addressable} accepts.
   *
   * @throws IllegalStateException if the engine hands a copy instead of the array's memory
   */
  static FloatMemory of(NDArray array) {
    ByteBuffer bytes = array.toByteBuffer(true).order(ByteOrder.nativeOrder());
    FloatBuffer floats = bytes.asFloatBuffer();
    if (floats.capacity() != array.size()) {
      throw new IllegalStateException("the engine handed a copy instead of the array's memory");
    }
    return new FloatMemory(floats, bytes);
  }
}
