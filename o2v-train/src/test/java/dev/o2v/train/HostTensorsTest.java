package dev.o2v.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.o2v.core.io.DirectBuffer;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HostTensorsTest {

  @Test
  void tensorsHoldTheirValuesAfterTheStagingBufferIsReused() {
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray ids = HostTensors.ints(manager, new int[] {1, 2, 3, 4, 5, 6}, new Shape(2, 3));
      NDArray rows = HostTensors.longs(manager, new long[] {7L, 1L << 40});
      NDArray labels = HostTensors.floats(manager, new float[] {0.5f, -2f});
      // each call above refilled the same staging bytes; none of the tensors may share them
      HostTensors.ints(manager, new int[] {-9, -9, -9, -9, -9, -9, -9, -9});

      assertEquals(new Shape(2, 3), ids.getShape());
      assertEquals(DataType.INT32, ids.getDataType());
      assertArrayEquals(new int[] {1, 2, 3, 4, 5, 6}, ids.toIntArray());
      assertEquals(DataType.INT64, rows.getDataType());
      assertArrayEquals(new long[] {7L, 1L << 40}, rows.toLongArray());
      assertEquals(DataType.FLOAT32, labels.getDataType());
      assertArrayEquals(new float[] {0.5f, -2f}, labels.toFloatArray());
    }
  }

  @Test
  void arraysLargerThanTheStagingBufferAndEmptyArraysWork() {
    int[] big = new int[100_000];
    for (int i = 0; i < big.length; i++) {
      big[i] = i * 7;
    }
    try (NDManager manager = NDManager.newBaseManager()) {
      assertArrayEquals(big, HostTensors.ints(manager, big).toIntArray());
      NDArray empty = HostTensors.ints(manager, new int[0], new Shape(0, 4));
      assertEquals(new Shape(0, 4), empty.getShape());
    }
  }

  @Test
  void aThreadKeepsAtMostAMegabyteOfStagingMemory() {
    int[] huge = new int[3 << 20]; // 12 MiB
    huge[huge.length - 1] = 42;
    try (NDManager manager = NDManager.newBaseManager()) {
      HostTensors.ints(manager, new int[1 << 18]).close(); // the kept buffer at its 1 MiB cap
      long before = DirectBuffer.bytesInUse();
      try (NDArray tensor = HostTensors.ints(manager, huge)) {
        assertEquals(42, tensor.getInt(huge.length - 1));
      }
      long kept = DirectBuffer.bytesInUse() - before;
      assertTrue(kept < 1 << 20, "a 12 MiB array left " + kept + " bytes of direct memory");
    }
  }

  @Test
  void aShapeThatDoesNotFitTheValuesIsRefused() {
    try (NDManager manager = NDManager.newBaseManager()) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> HostTensors.ints(manager, new int[5], new Shape(2, 3)));
      assertTrue(e.getMessage().contains("(2, 3)") && e.getMessage().contains("found 5"),
          e.getMessage());
    }
  }

  /**
   * An epoch's worth of batch tensors, created and closed, leaves no direct memory behind.
   * Created from Java arrays by the engine directly, each would hold a 4 KB direct buffer until
   * the next collection, 8 MB here.
   */
  @Test
  void closedTensorsLeaveNoDirectMemoryBehind() {
    int[] ids = new int[1024];
    try (NDManager manager = NDManager.newBaseManager()) {
      HostTensors.ints(manager, ids).close(); // the thread's staging buffer, allocated once
      long before = DirectBuffer.bytesInUse();
      for (int batch = 0; batch < 2000; batch++) {
        ids[0] = batch;
        try (NDArray tensor = HostTensors.ints(manager, ids)) {
          assertEquals(batch, tensor.getInt(0));
        }
      }
      long grown = DirectBuffer.bytesInUse() - before;
      assertTrue(grown < 1 << 20, "direct memory grew by " + grown + " bytes over 2000 tensors");
    }
  }

  @Test
  void sparseCountsKeepTheirEntriesWhenTheJdkFreesDirectBuffers() throws InterruptedException {
    int rows = 64;
    int columns = 50;
    int n = rows * 20;
    long[] coordinates = new long[2 * n];
    float[] expected = new float[rows * columns];
    for (int i = 0; i < n; i++) {
      coordinates[i] = i % rows;
      coordinates[n + i] = (i * 7L) % columns;
      expected[(int) (coordinates[i] * columns + coordinates[n + i])] += 1f;
    }
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray counts = HostTensors.sparseCounts(manager, coordinates, new Shape(rows, columns));
      // Collections free the direct buffers nothing reaches; new ones of the same size, filled
      // with other bytes, then take their memory.
      List<ByteBuffer> filler = new ArrayList<>();
      for (int round = 0; round < 5; round++) {
        System.gc();
        Thread.sleep(20);
        for (int i = 0; i < 50; i++) {
          ByteBuffer buffer = ByteBuffer.allocateDirect(coordinates.length * Long.BYTES);
          while (buffer.hasRemaining()) {
            buffer.put((byte) 0x7f);
          }
          filler.add(buffer);
        }
      }
      try (NDArray dense = counts.toDense()) {
        assertArrayEquals(expected, dense.toFloatArray());
      }
    }
  }
}
