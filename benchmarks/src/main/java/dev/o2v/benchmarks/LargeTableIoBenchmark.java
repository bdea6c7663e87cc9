package dev.o2v.benchmarks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import dev.o2v.train.io.ChunkedArrayIO;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Writes and reads one large float table (default 3,000,000 × 300, 3.6 GB) through {@link
 * ChunkedArrayIO} via a temporary file, printing seconds and peak resident memory.
 *
 * <p>Usage: {@code LargeTableIoBenchmark [PREALLOCATE|CONCATENATE] [rows] [cols]}. Run one
 * assembly per process: the peak (VmHWM) is process-wide; it is reset before the read phase when
 * the kernel allows writing 5 to {@code /proc/self/clear_refs}.
 */
public final class LargeTableIoBenchmark {

  private static final int IO_BUFFER = 1 << 20;

  private LargeTableIoBenchmark() {}

  public static void main(String[] args) throws IOException {
    ChunkedArrayIO.Assembly assembly = args.length > 0
        ? ChunkedArrayIO.Assembly.valueOf(args[0])
        : ChunkedArrayIO.Assembly.PREALLOCATE;
    long rows = args.length > 1 ? Long.parseLong(args[1]) : 3_000_000L;
    long cols = args.length > 2 ? Long.parseLong(args[2]) : 300L;
    Path file = Files.createTempFile("o2v-large-table", ".bin");
    try (NDManager manager = NDManager.newBaseManager()) {
      print("table %d x %d float32 (%.2f GB), assembly %s, file %s",
          rows, cols, rows * cols * 4 / 1e9, assembly, file);
      long[] sampleRows = {0, rows / 2, rows - 1};
      float[][] samples = write(manager, file, rows, cols, sampleRows);
      print("file size %.2f GB", Files.size(file) / 1e9);
      boolean reset = resetPeak();
      print("peak RSS reset before read: %s (now %.2f GB)", reset, peakGigabytes());
      read(manager, file, assembly, sampleRows, samples);
    } finally {
      Files.deleteIfExists(file);
    }
  }

  /** Writes a rows × cols table to file and returns copies of the sampled rows. */
  private static float[][] write(NDManager manager, Path file, long rows, long cols,
      long[] sampleRows) throws IOException {
    try (NDArray flat = manager.arange(0f, (float) (rows * cols), 1f);
        NDArray table = flat.reshape(rows, cols)) {
      print("created table: peak RSS %.2f GB", peakGigabytes());
      float[][] samples = new float[sampleRows.length][];
      for (int i = 0; i < sampleRows.length; i++) {
        try (NDArray row = table.get(new NDIndex(sampleRows[i]))) {
          samples[i] = row.toFloatArray();
        }
      }
      long start = System.nanoTime();
      try (DataOutputStream out = new DataOutputStream(
          new BufferedOutputStream(Files.newOutputStream(file), IO_BUFFER))) {
        ChunkedArrayIO.write(out, table);
      }
      print("write: %.1f s, peak RSS %.2f GB", seconds(start), peakGigabytes());
      return samples;
    }
  }

  private static void read(NDManager manager, Path file, ChunkedArrayIO.Assembly assembly,
      long[] sampleRows, float[][] samples) throws IOException {
    long start = System.nanoTime();
    try (DataInputStream in = new DataInputStream(
            new BufferedInputStream(Files.newInputStream(file), IO_BUFFER));
        NDArray table = ChunkedArrayIO.read(in, manager, assembly)) {
      print("read (%s): %.1f s, peak RSS %.2f GB, shape %s",
          assembly, seconds(start), peakGigabytes(), table.getShape());
      for (int i = 0; i < sampleRows.length; i++) {
        try (NDArray row = table.get(new NDIndex(sampleRows[i]))) {
          if (!Arrays.equals(samples[i], row.toFloatArray())) {
            throw new IllegalStateException("row " + sampleRows[i] + " differs after reading");
          }
        }
      }
      print("sampled rows verified");
    }
  }

  private static boolean resetPeak() {
    try {
      Files.writeString(Path.of("/proc/self/clear_refs"), "5");
      return true;
    } catch (IOException | SecurityException e) {
      return false;
    }
  }

  private static double peakGigabytes() throws IOException {
    List<String> lines = Files.readAllLines(Path.of("/proc/self/status"));
    for (String line : lines) {
      if (line.startsWith("VmHWM:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1e6; // kB → GB
      }
    }
    return Double.NaN;
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  private static void print(String format, Object... args) {
    System.out.println(String.format(Locale.ROOT, format, args));
  }
}
