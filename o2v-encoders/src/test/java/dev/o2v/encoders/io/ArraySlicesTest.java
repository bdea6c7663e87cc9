package dev.o2v.encoders.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("engine")
class ArraySlicesTest {

  @TempDir Path dir;

  private static float[] values(int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) Math.cos(i) * 100 + i;
    }
    return v;
  }

  @Test
  void aRowRangeIsWrittenAsItsLittleEndianElementsAfterAZeroPadOnAPlainStream()
      throws IOException {
    try (NDManager manager = NDManager.newBaseManager()) {
      float[] v = values(15);
      NDArray matrix = manager.create(v, new Shape(5, 3));
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      ArraySlices.write(new DataOutputStream(bytes), matrix, 1, 3);
      ByteBuffer written = ByteBuffer.wrap(bytes.toByteArray());
      assertEquals(4 + 6 * 4, written.remaining(), "pad field and two rows of three floats");
      assertEquals(0, written.getInt(), "no padding where positions are unknown");
      written.order(ByteOrder.LITTLE_ENDIAN);
      for (int i = 0; i < 6; i++) {
        assertEquals(v[3 + i], written.getFloat(), "element " + i + " of rows 1..2");
      }
    }
  }

  @Test
  void rowRangesRoundTripThroughAFileChannelIntoTheirSlicesOnly() throws IOException {
    Path file = dir.resolve("rows.bin");
    try (NDManager manager = NDManager.newBaseManager()) {
      float[] v = values(15);
      NDArray matrix = manager.create(v, new Shape(5, 3));
      try (FileChannel channel =
          FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
        BulkDataOutput out = BulkDataOutput.over(channel, 8);
        out.writeInt(7);
        ArraySlices.write(out, matrix, 0, 2);
        ArraySlices.write(out, matrix, 3, 5);
        out.flush();
      }
      NDArray target = manager.zeros(new Shape(5, 3));
      try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
        BulkDataInput in = BulkDataInput.over(channel, 8);
        assertEquals(7, in.readInt(), "header before the slices");
        ArraySlices.Reader reader = new ArraySlices.Reader();
        reader.readInto(in, target, 0, 2);
        reader.readInto(in, target, 3, 5);
      }
      float[] expected = v.clone();
      expected[6] = 0; // row 2 was not written and stays as it was
      expected[7] = 0;
      expected[8] = 0;
      assertArrayEquals(expected, target.toFloatArray(), 0f, "rows 0-1 and 3-4 restored");
    }
  }

  @Test
  void aVectorOfLongsRoundTripsThroughPlainStreams() throws IOException {
    try (NDManager manager = NDManager.newBaseManager()) {
      long[] v = {Long.MIN_VALUE, -3, 0, 9, Long.MAX_VALUE};
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      ArraySlices.write(new DataOutputStream(bytes), manager.create(v), 1, 5);
      NDArray target = manager.zeros(new Shape(5), DataType.INT64);
      new ArraySlices.Reader().readInto(
          new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())), target, 1, 5);
      assertArrayEquals(new long[] {0, -3, 0, 9, Long.MAX_VALUE}, target.toLongArray());
    }
  }

  @Test
  void aShortStreamFailsWithEof() {
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray target = manager.zeros(new Shape(4, 2));
      DataInputStream in = new DataInputStream(new ByteArrayInputStream(new byte[20]));
      assertThrows(EOFException.class,
          () -> new ArraySlices.Reader().readInto(in, target, 0, 3), "24 bytes wanted, 20 there");
    }
  }
}
