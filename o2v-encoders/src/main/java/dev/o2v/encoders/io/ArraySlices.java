package dev.o2v.encoders.io;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.o2v.core.io.BulkDataInput;
import dev.o2v.core.io.BulkDataOutput;
import dev.o2v.core.io.DirectBuffer;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Locale;

/**
 * Writes the native bytes of a slice {@code [start, end)} along the first axis of an array, and
 * reads such bytes back into a slice of an allocated array.
 *
 * <p>A slice is written as {@link BulkDataOutput#writeAligned} lays it out: int pad, pad bytes,
 * then the elements in the platform's (little-endian) layout, row-major. Writing asks the engine
 * for a direct buffer over the slice, so over a {@link BulkDataOutput} on a file the bytes go from
 * native memory to the file without a copy on the Java heap (and without the page cache where the
 * file system allows). Reading fills one reused direct buffer straight from the channel, views it
 * as an array and copies that into the target slice: one copy in native memory per chunk.
 */
public final class ArraySlices {

  private ArraySlices() {}

  /**
   * Writes the bytes of {@code array[start:end]} (along axis 0) after their alignment padding.
   * Temporary arrays live in a sub-manager that is closed before returning.
   */
  public static void write(DataOutputStream out, NDArray array, long start, long end)
      throws IOException {
    requireLittleEndianPlatform();
    try (NDManager scope = array.getManager().newSubManager(array.getDevice())) {
      BulkDataOutput.writeAligned(out, hostBytes(array, start, end, scope));
    }
  }

  /**
   * The bytes of {@code array[start:end]} (along axis 0) in host memory: a direct view of the
   * slice's own memory for a contiguous slice on the CPU, else a copy. Whatever it creates
   * belongs to {@code scope}; the bytes are valid until {@code scope} closes.
   */
  public static ByteBuffer hostBytes(NDArray array, long start, long end, NDManager scope) {
    NDArray slice = array.get(new NDIndex().addSliceDim(start, end));
    slice.attach(scope);
    NDArray host = slice;
    if (!slice.getDevice().equals(Device.cpu())) {
      host = slice.toDevice(Device.cpu(), false);
      host.attach(scope);
    }
    // The engine makes a contiguous copy (in the slice's manager, the scope) when it cannot view.
    return host.toByteBuffer(true);
  }

  /**
   * Reads chunks written by {@link ArraySlices#write} into slices of a target array through one
   * reused direct buffer, freed when it grows and on {@link #close()}. Not thread-safe; one reader
   * per stream.
   */
  public static final class Reader implements AutoCloseable {
    private DirectBuffer memory;

    /** A reader whose buffer grows to the largest chunk it meets. */
    public Reader() {
      requireLittleEndianPlatform();
    }

    /**
     * Reads the raw bytes of {@code target[start:end]} (along axis 0) from {@code in} and copies
     * them into that slice.
     *
     * @throws java.io.EOFException when the stream ends first
     */
    public void readInto(DataInputStream in, NDArray target, long start, long end)
        throws IOException {
      Shape shape = sliceShape(target.getShape(), end - start);
      DataType type = target.getDataType();
      try (NDManager scope = target.getManager().newSubManager(target.getDevice())) {
        NDArray piece = read(in, scope, shape, type, true);
        target.set(new NDIndex().addSliceDim(start, end), piece);
      }
    }

    /**
     * Reads {@code shape.size()} elements of {@code type} into an array of {@code manager}: as
     * {@link ArraySlices#write} wrote them when {@code aligned}, else just the elements. On the
     * CPU the array views this reader's buffer: it is valid until the next read or {@link
     * #close()}.
     */
    public NDArray read(
        DataInputStream in, NDManager manager, Shape shape, DataType type, boolean aligned)
        throws IOException {
      long bytes = shape.size() * type.getNumOfBytes();
      if (bytes > Integer.MAX_VALUE) {
        throw new IllegalArgumentException(
            String.format(Locale.ROOT, "a chunk of %s %s holds %d bytes, more than 2 GiB", shape,
                type, bytes));
      }
      if (memory == null || memory.bytes().capacity() < bytes) {
        if (memory != null) {
          memory.close();
        }
        // Block-aligned, so a file stream can fill it past the page cache.
        memory = BulkDataInput.allocateAligned((int) bytes);
      }
      ByteBuffer buffer = memory.bytes();
      buffer.clear().limit((int) bytes);
      if (aligned) {
        BulkDataInput.readAligned(in, buffer);
      } else {
        BulkDataInput.readFully(in, buffer);
      }
      buffer.flip();
      return manager.create(buffer, shape, type);
    }

    /** Frees the buffer; arrays that {@link #read} returned must be closed already. */
    @Override
    public void close() {
      if (memory != null) {
        memory.close();
        memory = null;
      }
    }
  }

  private static Shape sliceShape(Shape shape, long rows) {
    if (shape.dimension() == 0) {
      throw new IllegalArgumentException("cannot slice a scalar");
    }
    // A copy: Shape hands out its own array, and the target's shape must not change.
    long[] dims = shape.getShape().clone();
    dims[0] = rows;
    return new Shape(dims);
  }

  private static void requireLittleEndianPlatform() {
    if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
      throw new UnsupportedOperationException(
          "saved arrays hold little-endian data; this platform is " + ByteOrder.nativeOrder());
    }
  }
}
