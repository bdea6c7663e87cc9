package dev.o2v.train.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@Tag("engine")
class ChunkedArrayIOTest {

  /** 12 bytes = 3 float32 per chunk: chunks straddle the rows of a [7, 5] matrix. */
  private static final long SMALL_CHUNK = 12;

  @ParameterizedTest
  @EnumSource(ChunkedArrayIO.Assembly.class)
  void aMatrixRoundTripsExactlyThroughSmallChunks(ChunkedArrayIO.Assembly assembly)
      throws IOException {
    try (NDManager manager = NDManager.newBaseManager()) {
      float[] values = new float[35];
      for (int i = 0; i < values.length; i++) {
        values[i] = (float) Math.sin(i) * 1e3f + Float.MIN_VALUE * i;
      }
      NDArray original = manager.create(values, new Shape(7, 5));
      NDArray copy = roundTrip(original, manager, SMALL_CHUNK, assembly);
      assertEquals(new Shape(7, 5), copy.getShape(), "shape");
      assertEquals(DataType.FLOAT32, copy.getDataType(), "data type");
      assertArrayEquals(values, copy.toFloatArray(), "values");
    }
  }

  @ParameterizedTest
  @EnumSource(ChunkedArrayIO.Assembly.class)
  void aVectorOfLongsRoundTripsExactly(ChunkedArrayIO.Assembly assembly) throws IOException {
    try (NDManager manager = NDManager.newBaseManager()) {
      long[] values = {Long.MIN_VALUE, -1, 0, 1, 42, Long.MAX_VALUE, 7};
      NDArray copy = roundTrip(manager.create(values), manager, 16, assembly);
      assertEquals(new Shape(7), copy.getShape(), "shape");
      assertArrayEquals(values, copy.toLongArray(), "values");
    }
  }

  @Test
  void scalarsAndEmptyArraysRoundTrip() throws IOException {
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray scalar = roundTrip(manager.create(2.5f), manager, SMALL_CHUNK,
          ChunkedArrayIO.Assembly.PREALLOCATE);
      assertEquals(new Shape(), scalar.getShape(), "scalar shape");
      assertEquals(2.5f, scalar.getFloat(), "scalar value");
      NDArray empty = roundTrip(manager.zeros(new Shape(0, 4)), manager, SMALL_CHUNK,
          ChunkedArrayIO.Assembly.PREALLOCATE);
      assertEquals(new Shape(0, 4), empty.getShape(), "empty shape");
    }
  }

  @Test
  void consecutiveArraysInOneStreamStayApart() throws IOException {
    try (NDManager manager = NDManager.newBaseManager()) {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (DataOutputStream out = new DataOutputStream(bytes)) {
        ChunkedArrayIO.write(out, manager.create(new float[] {1, 2, 3, 4, 5}), 8);
        ChunkedArrayIO.write(out, manager.create(new int[] {9, 8}), 8);
      }
      DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()));
      assertArrayEquals(new float[] {1, 2, 3, 4, 5},
          ChunkedArrayIO.read(in, manager).toFloatArray(), "first");
      assertArrayEquals(new int[] {9, 8}, ChunkedArrayIO.read(in, manager).toIntArray(), "second");
      assertEquals(-1, in.read(), "stream fully consumed");
    }
  }

  @Test
  void anUnknownVersionIsRejected() throws IOException {
    try (NDManager manager = NDManager.newBaseManager()) {
      byte[] bytes = write(manager.create(new float[] {1, 2}), SMALL_CHUNK);
      ByteBuffer.wrap(bytes).putInt(4, 3);
      IOException e = assertThrows(IOException.class, () -> ChunkedArrayIO.read(
          new DataInputStream(new ByteArrayInputStream(bytes)), manager));
      assertTrue(e.getMessage().contains("version 3"), "message names the version: " + e);
    }
  }

  @Test
  void theUnpaddedVersion1LayoutStillReads() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeInt(0x4F325641);
    out.writeInt(1);
    out.writeUTF("FLOAT32");
    out.writeInt(1);
    out.writeLong(3);
    out.writeLong(2); // elements per chunk
    ByteBuffer first = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    first.putFloat(1.5f).putFloat(-2f);
    out.writeLong(8);
    out.write(first.array());
    ByteBuffer second = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
    second.putFloat(7.25f);
    out.writeLong(4);
    out.write(second.array());
    try (NDManager manager = NDManager.newBaseManager()) {
      for (ChunkedArrayIO.Assembly assembly : ChunkedArrayIO.Assembly.values()) {
        NDArray read = ChunkedArrayIO.read(
            new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())), manager,
            assembly);
        assertArrayEquals(new float[] {1.5f, -2f, 7.25f}, read.toFloatArray(), "" + assembly);
      }
    }
  }

  @Test
  void aTruncatedStreamFails() throws IOException {
    try (NDManager manager = NDManager.newBaseManager()) {
      byte[] bytes = write(manager.create(new float[] {1, 2, 3, 4, 5, 6, 7}), SMALL_CHUNK);
      byte[] truncated = Arrays.copyOf(bytes, bytes.length - 5);
      assertThrows(EOFException.class, () -> ChunkedArrayIO.read(
          new DataInputStream(new ByteArrayInputStream(truncated)), manager));
    }
  }

  private static NDArray roundTrip(NDArray array, NDManager manager, long chunkBytes,
      ChunkedArrayIO.Assembly assembly) throws IOException {
    byte[] bytes = write(array, chunkBytes);
    return ChunkedArrayIO.read(
        new DataInputStream(new ByteArrayInputStream(bytes)), manager, assembly);
  }

  private static byte[] write(NDArray array, long chunkBytes) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      ChunkedArrayIO.write(out, array, chunkBytes);
    }
    return bytes.toByteArray();
  }
}
