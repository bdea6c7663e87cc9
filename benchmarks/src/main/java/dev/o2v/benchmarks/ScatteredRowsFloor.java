package dev.o2v.benchmarks;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * The least memory time of a row_sparse Adam step on this machine: every cache line of the rows
 * one batch updates, in the token table and in Adam's two moments, read once and written once,
 * and nothing else. The three arrays are the engine's own, allocated as training allocates them,
 * and the rows are distinct and uniform over the table, as in the command suite's data. The same
 * number of lines costs more when they lie scattered over gigabytes than when they fit in the
 * caches; that difference bounds how close a large vocabulary's step can come to a small one's.
 */
final class ScatteredRowsFloor {

  /** Floats in a 64-byte cache line. */
  private static final int FLOATS_PER_LINE = 16;
  private static final int WARM_UP_STEPS = 20;
  private static final int STEPS = 150;

  /** Keeps the loads from being optimised away. */
  @SuppressWarnings("unused")
  private static volatile float sink;

  private ScatteredRowsFloor() {}

  /**
   * Median milliseconds to read and write every cache line of {@code rowsPerStep} distinct rows
   * of three {@code [vocab, width]} float arrays, on {@code threads} threads.
   */
  static double millisPerStep(int vocab, int width, int rowsPerStep, int threads, long seed) {
    if (rowsPerStep > vocab) {
      throw new IllegalArgumentException(rowsPerStep + " distinct rows of " + vocab);
    }
    try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
      FloatBuffer[] arrays = new FloatBuffer[3];
      for (int a = 0; a < arrays.length; a++) {
        NDArray array = manager.zeros(new Shape(vocab, width), DataType.FLOAT32);
        arrays[a] = array.toByteBuffer(true).order(ByteOrder.nativeOrder()).asFloatBuffer();
      }
      SplittableRandom random = new SplittableRandom(seed);
      double[] millis = new double[STEPS];
      for (int step = -WARM_UP_STEPS; step < STEPS; step++) {
        int[] rows = random.ints(0, vocab).distinct().limit(rowsPerStep).toArray();
        long start = System.nanoTime();
        touchRows(arrays, rows, width, threads);
        if (step >= 0) {
          millis[step] = (System.nanoTime() - start) / 1e6;
        }
      }
      return Stats.median(millis);
    }
  }

  /** One step: each thread takes a share of the rows, as Adam's row kernel splits them. */
  private static void touchRows(FloatBuffer[] arrays, int[] rows, int width, int threads) {
    FloatBuffer weight = arrays[0];
    FloatBuffer mean = arrays[1];
    FloatBuffer variance = arrays[2];
    int share = (rows.length + threads - 1) / threads;
    IntStream.range(0, threads).parallel().forEach(k -> {
      float sum = 0;
      int end = Math.min(rows.length, (k + 1) * share);
      for (int i = k * share; i < end; i++) {
        int base = rows[i] * width;
        for (int at = base; at < base + width; at += FLOATS_PER_LINE) {
          // The three loads do not wait for each other; each line is then written once.
          float w = weight.get(at);
          float m = mean.get(at);
          float v = variance.get(at);
          weight.put(at, w + 1f);
          mean.put(at, m + 1f);
          variance.put(at, v + 1f);
          sum += w + m + v;
        }
      }
      sink = sum;
    });
  }

  /**
   * The average number of distinct ids in {@code batch} consecutive records of {@code ids} (both
   * sides of a record, one table), over the first {@code batches} batches.
   */
  static int distinctRowsPerBatch(int[][] ids, int batch, int batches) {
    long total = 0;
    int counted = 0;
    for (int b = 0; b < batches && (b + 1) * batch * 2 <= ids.length; b++) {
      int[] all = Arrays.stream(ids, b * batch * 2, (b + 1) * batch * 2)
          .flatMapToInt(Arrays::stream).distinct().toArray();
      total += all.length;
      counted++;
    }
    if (counted == 0) {
      throw new IllegalArgumentException("fewer than one batch of records");
    }
    return Math.toIntExact(Math.round((double) total / counted));
  }
}
