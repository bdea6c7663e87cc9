package dev.o2v.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.o2v.core.data.Channel;
import dev.o2v.core.data.DataSchema;
import dev.o2v.core.data.JsonlRecordReader;
import dev.o2v.core.data.PairDataset;
import dev.o2v.core.synthetic.JsonlWriter;
import dev.o2v.core.synthetic.SyntheticPairTask;
import java.io.BufferedReader;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Measures JSON Lines parsing into a {@link PairDataset}: records/s and MB/s (median of three
 * runs, wall clock and parsing-thread CPU time, since the machine may be shared), the dataset's
 * bytes per record and per token, and the JVM heap it occupies; for comparison, the same parse
 * with one Jackson tree per line.
 *
 * <p>Usage: {@code DataParseBenchmark [RECORDS]} (default 1,000,000). Writes its input to a
 * temporary directory and deletes it afterwards.
 */
public final class DataParseBenchmark {

  private static final int RUNS = 3;

  private DataParseBenchmark() {}

  /** Entry point. */
  public static void main(String[] args) throws IOException {
    int records = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    SyntheticPairTask task = new SyntheticPairTask(SyntheticPairTask.Config.classification());
    DataSchema schema = task.schema();
    Path dir = Files.createTempDirectory("o2v-parse-bench");
    Path file = dir.resolve("data.jsonl");
    try {
      write(task, file, records);
      double megabytes = Files.size(file) / 1e6;
      print("input: %,d records, %.1f MB, %s", records, megabytes, file);
      long heapBefore = usedHeapAfterGc();
      double[] seconds = new double[RUNS];
      double[] cpuSeconds = new double[RUNS];
      ThreadMXBean threads = ManagementFactory.getThreadMXBean();
      PairDataset data = null;
      for (int run = 0; run < RUNS; run++) {
        data = null;
        usedHeapAfterGc();
        long cpu0 = threads.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        data = new JsonlRecordReader(schema).load(Channel.of(file));
        seconds[run] = (System.nanoTime() - t0) / 1e9;
        cpuSeconds[run] = (threads.getCurrentThreadCpuTime() - cpu0) / 1e9;
        print("streaming run %d: %.3f s wall, %.3f s parsing-thread CPU", run + 1, seconds[run],
            cpuSeconds[run]);
      }
      long heapWithData = usedHeapAfterGc();
      double median = median(seconds);
      double cpuMedian = median(cpuSeconds);
      print("streaming parse, wall (median of %d): %,.0f records/s, %.1f MB/s", RUNS,
          records / median, megabytes / median);
      print("streaming parse, thread CPU (median of %d): %,.0f records/s, %.1f MB/s", RUNS,
          records / cpuMedian, megabytes / cpuMedian);
      reportMemory(data, heapWithData - heapBefore);
      data = null;
      double tree = treePerLine(file, schema);
      print("tree-per-line parse (one run, no validation), thread CPU: %.3f s, %,.0f records/s,"
          + " %.1f MB/s",
          tree, records / tree, megabytes / tree);
    } finally {
      Files.deleteIfExists(file);
      Files.deleteIfExists(dir);
    }
  }

  private static void write(SyntheticPairTask task, Path file, int records) throws IOException {
    long t0 = System.nanoTime();
    SplittableRandom rng = new SplittableRandom(1);
    try (JsonlWriter writer = JsonlWriter.create(file, true)) {
      for (int i = 0; i < records; i++) {
        writer.write(task.next(rng));
      }
    }
    print("generated in %.1f s", (System.nanoTime() - t0) / 1e9);
  }

  private static void reportMemory(PairDataset data, long heapDelta) {
    long tokens = data.tokenCount(0) + data.tokenCount(1);
    long bytes = data.memoryBytes();
    print("dataset: %,d records, %,d tokens, %,d bytes estimated = %.2f bytes/record, "
        + "%.3f bytes/token (incl. per-record overhead)", data.size(), tokens, bytes,
        bytes / (double) data.size(), bytes / (double) tokens);
    print("per-record overhead beyond 4 bytes/token: %.2f bytes/record",
        (bytes - 4.0 * tokens) / data.size());
    print("JVM heap held after GC (dataset retained): %,d bytes (%.1f MB); max heap %.0f MB",
        heapDelta, heapDelta / 1e6, Runtime.getRuntime().maxMemory() / 1e6);
  }

  /** The naive alternative: a Jackson tree per line, ids copied into a builder. */
  private static double treePerLine(Path file, DataSchema schema) throws IOException {
    ObjectMapper mapper = new ObjectMapper();
    PairDataset.Builder builder = PairDataset.builder(schema);
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long t0 = threads.getCurrentThreadCpuTime();
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        JsonNode node = mapper.readTree(line);
        builder.add(ids(node.get("in0")), ids(node.get("in1")), node.get("label").floatValue());
      }
    }
    double seconds = (threads.getCurrentThreadCpuTime() - t0) / 1e9;
    if (builder.size() == 0) {
      throw new IllegalStateException("no records parsed");
    }
    return seconds;
  }

  private static int[] ids(JsonNode array) {
    int[] out = new int[array.size()];
    for (int k = 0; k < out.length; k++) {
      out[k] = array.get(k).intValue();
    }
    return out;
  }

  private static long usedHeapAfterGc() {
    Runtime rt = Runtime.getRuntime();
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return rt.totalMemory() - rt.freeMemory();
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  private static void print(String format, Object... args) {
    System.out.println(String.format(Locale.ROOT, format, args));
  }
}
