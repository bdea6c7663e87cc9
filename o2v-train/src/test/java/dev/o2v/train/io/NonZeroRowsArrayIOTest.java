package dev.o2v.train.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.o2v.core.io.BulkDataInput;
import dev.o2v.core.io.BulkDataOutput;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("engine")
class NonZeroRowsArrayIOTest {

  /** 40 bytes = two rows of five float32 per chunk. */
  private static final long TWO_ROWS = 40;

  @Test
  void zeroRowsAreLeftOutAndComeBackAsZeros() throws IOException {
    try (NDManager manager = NDManager.newBaseManager()) {
      float[] values = new float[9 * 5];
      for (int row : new int[] {1, 4, 5, 8}) {
        for (int d = 0; d < 5; d++) {
          values[row * 5 + d] = (float) Math.sin(row * 5 + d) * 1e3f + Float.MIN_VALUE;
        }
      }
      values[2 * 5 + 3] = -0.0f; // its bits are not zero: the row must be kept
      NDArray original = manager.create(values, new Shape(9, 5));
      byte[] sparse = bytes(out -> NonZeroRowsArrayIO.write(out, original, TWO_ROWS));
      byte[] whole = bytes(out -> ChunkedArrayIO.write(out, original, TWO_ROWS));
      NDArray copy = read(sparse, manager);
      assertEquals(new Shape(9, 5), copy.getShape(), "shape");
      assertEquals(DataType.FLOAT32, copy.getDataType(), "data type");
      assertArrayEquals(bits(values), bits(copy.toFloatArray()), "every element's bits");
      // Five of nine rows hold values: four zero rows of 20 bytes are not written.
      assertTrue(sparse.length < whole.length - 3 * 20,
          "sparse " + sparse.length + " bytes against whole " + whole.length);
    }
  }

  @Test
  void allZeroAndNoZeroArraysRoundTrip() throws IOException {
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray zeros = manager.zeros(new Shape(6, 3));
      assertArrayEquals(new float[18], read(bytes(out -> NonZeroRowsArrayIO.write(out, zeros,
          TWO_ROWS)), manager).toFloatArray(), "all zero");
      NDArray full = manager.arange(1f, 19f).reshape(6, 3);
      assertArrayEquals(full.toFloatArray(), read(bytes(out -> NonZeroRowsArrayIO.write(out,
          full, 12)), manager).toFloatArray(), "no zero row, one row per chunk");
    }
  }

  @Test
  void vectorsScalarsEmptyArraysAndOtherTypesRoundTrip() throws IOException {
    try (NDManager manager = NDManager.newBaseManager()) {
      long[] longs = {0, Long.MIN_VALUE, 0, 0, 7, Long.MAX_VALUE, 0};
      NDArray vector = read(bytes(out -> NonZeroRowsArrayIO.write(out, manager.create(longs),
          16)), manager);
      assertEquals(new Shape(7), vector.getShape(), "vector shape");
      assertArrayEquals(longs, vector.toLongArray(), "vector values");
      NDArray scalar = read(bytes(out -> NonZeroRowsArrayIO.write(out, manager.create(2.5f))),
          manager);
      assertEquals(new Shape(), scalar.getShape(), "scalar shape");
      assertEquals(2.5f, scalar.getFloat(), "scalar value");
      NDArray zeroScalar = read(bytes(out -> NonZeroRowsArrayIO.write(out, manager.create(0f))),
          manager);
      assertEquals(0f, zeroScalar.getFloat(), "zero scalar value");
      for (Shape empty : new Shape[] {new Shape(0, 4), new Shape(3, 0)}) {
        NDArray copy = read(bytes(out -> NonZeroRowsArrayIO.write(out, manager.zeros(empty))),
            manager);
        assertEquals(empty, copy.getShape(), "empty shape");
      }
      NDArray cube = manager.create(new int[] {0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0},
          new Shape(3, 2, 2));
      NDArray cubeCopy = read(bytes(out -> NonZeroRowsArrayIO.write(out, cube, 16)), manager);
      assertEquals(new Shape(3, 2, 2), cubeCopy.getShape(), "rank-3 shape");
      assertArrayEquals(cube.toIntArray(), cubeCopy.toIntArray(), "rank-3 values");
    }
  }

  @Test
  void aFileRoundTripsAndIsSmallerByTheZeroRows(@TempDir Path dir) throws IOException {
    try (NDManager manager = NDManager.newBaseManager()) {
      int rows = 20_000;
      int width = 128;
      float[] values = new float[rows * width];
      Random random = new Random(7);
      int kept = 0;
      for (int r = 0; r < rows; r++) {
        if (random.nextInt(5) == 0) { // about a fifth of the rows
          kept++;
          for (int d = 0; d < width; d++) {
            values[r * width + d] = (float) random.nextGaussian();
          }
        }
      }
      NDArray table = manager.create(values, new Shape(rows, width));
      Path file = dir.resolve("state.bin");
      try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW,
              StandardOpenOption.WRITE);
          BulkDataOutput out = BulkDataOutput.toNewFile(file, channel, channel, 1 << 16)) {
        NonZeroRowsArrayIO.write(out, table, 1 << 20); // several chunks
      }
      long size = Files.size(file);
      long payload = (long) kept * width * Float.BYTES;
      assertTrue(size >= payload && size < payload + rows / 8 + 64 * 1024,
          size + " bytes for " + kept + " rows of " + payload + " bytes");
      try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
          DataInputStream in = BulkDataInput.fromFile(file, channel, 1 << 16)) {
        assertArrayEquals(bits(values), bits(NonZeroRowsArrayIO.read(in, manager)
            .toFloatArray()), "values read back");
      }
    }
  }

  @Test
  void aBitmapThatDisagreesWithItsCountIsRefused() throws IOException {
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray array = manager.create(new float[] {0, 0, 1, 2}, new Shape(2, 2));
      byte[] saved = bytes(out -> NonZeroRowsArrayIO.write(out, array));
      // The header ends with the rows per chunk; then the count (1) and the bitmap (0b10).
      int count = headerBytes(2);
      assertEquals(1, ByteBuffer.wrap(saved).getInt(count), "count where the format puts it");
      saved[count + Integer.BYTES] = 0b11;
      IOException e = assertThrows(IOException.class, () -> read(saved, manager));
      assertTrue(e.getMessage().contains("count 1") && e.getMessage().contains("marks 2"),
          e.getMessage());
    }
  }

  @Test
  void aForeignOrTruncatedStreamIsRefused() throws IOException {
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray array = manager.create(new float[] {0, 0, 1, 2, 3, 4}, new Shape(3, 2));
      byte[] whole = bytes(out -> ChunkedArrayIO.write(out, array));
      IOException foreign = assertThrows(IOException.class, () -> read(whole, manager));
      assertTrue(foreign.getMessage().contains("magic"), foreign.getMessage());
      byte[] saved = bytes(out -> NonZeroRowsArrayIO.write(out, array));
      byte[] cut = java.util.Arrays.copyOf(saved, saved.length - 3);
      assertThrows(EOFException.class, () -> read(cut, manager));
      ByteBuffer.wrap(saved).putInt(4, 9);
      IOException version = assertThrows(IOException.class, () -> read(saved, manager));
      assertTrue(version.getMessage().contains("version 9"), version.getMessage());
    }
  }

  /** Magic, version, UTF "FLOAT32", rank, the dimensions and the rows per chunk. */
  private static int headerBytes(int rank) {
    return 4 + 4 + 2 + "FLOAT32".length() + 4 + rank * 8 + 8;
  }

  private interface Writing {
    void to(DataOutputStream out) throws IOException;
  }

  private static byte[] bytes(Writing writing) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      writing.to(out);
    }
    return bytes.toByteArray();
  }

  private static NDArray read(byte[] saved, NDManager manager) throws IOException {
    return NonZeroRowsArrayIO.read(new DataInputStream(new ByteArrayInputStream(saved)), manager);
  }

  private static int[] bits(float[] values) {
    int[] bits = new int[values.length];
    for (int i = 0; i < values.length; i++) {
      bits[i] = Float.floatToRawIntBits(values[i]);
    }
    return bits;
  }
}
