package dev.o2v.benchmarks;

import dev.o2v.api.ModelOptions;
import dev.o2v.api.Object2VecModel;
import dev.o2v.api.Side;
import dev.o2v.spark.Object2VecEmbedder;
import java.io.BufferedWriter;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.SparkSession;

/**
 * Embedding throughput of one side, three ways on the same rows: {@code o2v embed} (a child
 * process of the launcher, 2 workers), a Spark job ({@code local[2]}, JSON Lines to Parquet, in a
 * child JVM of its own) and the in-process API (2 calling threads). Each uses one libtorch thread
 * per worker.
 *
 * <p>Usage: {@code SparkEmbedBenchmark MODEL_DIR ROWS WORK_DIR O2V_LAUNCHER [ROUNDS]}. The input
 * ({@code {"id": i, "in0": [...]}}, 1 to max_seq_len random ids, seeded) is written to WORK_DIR
 * once and reused. Each round runs the command and then the Spark process, both timed as whole
 * processes from start to exit; the Spark process also reports its session start and the wall
 * time of two identical jobs (the first cold, the second warm). Prints every round, then medians
 * and the Spark-to-command ratios of the rates, with the load average.
 */
public final class SparkEmbedBenchmark {

  private static final String JOB_MODE = "--spark-job";
  private static final Pattern CLI_RATE =
      Pattern.compile("embed: (\\d+) records in ([0-9.]+) s");
  private static final Pattern SPARK_TIMES =
      Pattern.compile("spark-times session=([0-9.]+) first=([0-9.]+) second=([0-9.]+)"
          + " check=([0-9.]+) parquet-rows=(\\d+)");

  private SparkEmbedBenchmark() {}

  /** Entry point. */
  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals(JOB_MODE)) {
      runSparkJobs(Path.of(args[1]), Path.of(args[2]), Path.of(args[3]));
      return;
    }
    if (args.length != 4 && args.length != 5) {
      System.err.println(
          "usage: SparkEmbedBenchmark MODEL_DIR ROWS WORK_DIR O2V_LAUNCHER [ROUNDS]");
      System.exit(2);
    }
    Path model = Path.of(args[0]);
    int rows = Integer.parseInt(args[1]);
    Path work = Files.createDirectories(Path.of(args[2]));
    Path launcher = Path.of(args[3]);
    int rounds = args.length == 5 ? Integer.parseInt(args[4]) : 3;
    int vocab;
    int maxLen;
    try (Object2VecModel probe = Object2VecModel.open(model)) {
      vocab = probe.vocabularySize(Side.IN0);
      maxLen = probe.maxSequenceLength(Side.IN0);
    }
    Path data = work.resolve("rows-" + rows + ".jsonl");
    if (!Files.exists(data)) {
      writeRows(data, rows, vocab, maxLen);
    }
    System.out.printf(Locale.ROOT, "rows %d, in0 vocab %d, lengths 1..%d, %s (%.1f MB)%n", rows,
        vocab, maxLen, data, Files.size(data) / 1e6);
    System.out.println("load average at start: " + MachineInfo.currentLoadAverage());

    double[][] figures = new double[rounds][];
    for (int round = 0; round < rounds; round++) {
      figures[round] = round(model, data, work, launcher, rows);
      double[] f = figures[round];
      System.out.printf(Locale.ROOT, "round %d: o2v embed process %.1f s (logs %.1f s);"
              + " Spark process %.1f s (session %.1f s, first job %.1f s, second job %.1f s;"
              + " one-job process %.1f s); load average %s%n", round + 1, f[0], f[1], f[2],
          f[3], f[4], f[5], f[6], MachineInfo.currentLoadAverage());
    }
    double cli = rows / median(figures, 0);
    System.out.printf(Locale.ROOT, "medians of %d rounds, rows/s (vs o2v embed as a process):%n",
        rounds);
    System.out.printf(Locale.ROOT, "  o2v embed, whole process (JVM start included): %,.0f%n",
        cli);
    System.out.printf(Locale.ROOT, "  o2v embed, its own log (reading, inference, writing):"
        + " %,.0f (%.2fx)%n", rows / median(figures, 1), median(figures, 0) / median(figures, 1));
    printSpark("Spark, whole process of one job (JVM and session start included)", rows, cli,
        median(figures, 6));
    printSpark("Spark, first job of a fresh session (session start excluded)", rows, cli,
        median(figures, 4));
    printSpark("Spark, second job in the same session", rows, cli, median(figures, 5));
    System.out.printf(Locale.ROOT, "  Spark session start: %.1f s%n", median(figures, 3));

    double api = apiRate(model, rows, vocab, maxLen);
    System.out.printf(Locale.ROOT, "in-process API (2 threads, 1024 rows a call): %,.0f rows/s"
        + " (%.2fx)%n", api, api / cli);
    System.out.println("load average at end: " + MachineInfo.currentLoadAverage());
  }

  private static void printSpark(String what, int rows, double cli, double seconds) {
    System.out.printf(Locale.ROOT, "  %s: %,.0f (%.2fx)%n", what, rows / seconds,
        rows / seconds / cli);
  }

  private static double median(double[][] figures, int column) {
    double[] values = Arrays.stream(figures).mapToDouble(f -> f[column]).sorted().toArray();
    int n = values.length;
    return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
  }

  /**
   * One round: the command's process time and logged time, then the Spark process's time, its
   * session start, its two jobs and the process time of a one-job application (the process
   * without the second job and the output check), in seconds.
   */
  private static double[] round(Path model, Path data, Path work, Path launcher, int rows)
      throws IOException, InterruptedException {
    long start = System.nanoTime();
    double cliLogged = commandSeconds(launcher, model, data, work.resolve("cli.jsonl"));
    double cliProcess = (System.nanoTime() - start) / 1e9;
    start = System.nanoTime();
    double[] spark = sparkProcess(model, data, work.resolve("spark.parquet"), rows);
    double sparkProcess = (System.nanoTime() - start) / 1e9;
    return new double[] {cliProcess, cliLogged, sparkProcess, spark[0], spark[1], spark[2],
        sparkProcess - spark[2] - spark[3]};
  }

  private static int[] randomIds(SplittableRandom rng, int vocab, int maxLen) {
    int[] ids = new int[1 + rng.nextInt(maxLen)];
    for (int k = 0; k < ids.length; k++) {
      ids[k] = rng.nextInt(vocab);
    }
    return ids;
  }

  private static void writeRows(Path file, int rows, int vocab, int maxLen) throws IOException {
    SplittableRandom rng = new SplittableRandom(42);
    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < rows; i++) {
        line.setLength(0);
        line.append("{\"id\": ").append(i).append(", \"in0\": [");
        int[] ids = randomIds(rng, vocab, maxLen);
        for (int k = 0; k < ids.length; k++) {
          line.append(k == 0 ? "" : ", ").append(ids[k]);
        }
        out.append(line).append("]}\n");
      }
    }
  }

  /** The seconds {@code o2v embed} logs for itself (reading, inference and writing). */
  private static double commandSeconds(Path launcher, Path model, Path data, Path out)
      throws IOException, InterruptedException {
    Matcher m = finishedMatch(new ProcessBuilder(launcher.toString(), "embed", "--model-dir",
        model.toString(), "--data", data.toString(), "--side", "in0", "--threads", "1",
        "--out", out.toString()), "o2v embed", CLI_RATE);
    return Double.parseDouble(m.group(2));
  }

  /**
   * Runs {@link #runSparkJobs} in a fresh JVM with this JVM's options and class path; returns its
   * session start, the wall time of its two jobs and of the output check, in seconds.
   */
  private static double[] sparkProcess(Path model, Path data, Path out, int rows)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
    command.addAll(List.of("-cp", System.getProperty("java.class.path"),
        SparkEmbedBenchmark.class.getName(), JOB_MODE, model.toString(), data.toString(),
        out.toString()));
    Matcher m = finishedMatch(new ProcessBuilder(command), "Spark job", SPARK_TIMES);
    long written = Long.parseLong(m.group(5));
    if (written != rows) {
      throw new IllegalStateException("Parquet holds " + written + " rows, expected " + rows);
    }
    return new double[] {Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2)),
        Double.parseDouble(m.group(3)), Double.parseDouble(m.group(4))};
  }

  /** Runs {@code process} to its end and finds {@code pattern} in what it printed. */
  private static Matcher finishedMatch(ProcessBuilder process, String name, Pattern pattern)
      throws IOException, InterruptedException {
    Process running = process.redirectErrorStream(true).start();
    String log = new String(running.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (running.waitFor() != 0) {
      throw new IOException(name + " failed: " + log);
    }
    Matcher m = pattern.matcher(log);
    if (!m.find()) {
      throw new IOException(name + " printed no " + pattern.pattern() + ": " + log);
    }
    return m;
  }

  /**
   * The Spark side, in its own JVM: starts a session and runs the same job twice (the first
   * pays the JVM's warm-up, Spark's code generation and the model load; the second is the steady
   * state), printing the seconds of each step and the rows in the Parquet output.
   */
  private static void runSparkJobs(Path model, Path data, Path out) throws IOException {
    long start = System.nanoTime();
    // About 4 partitions per core, so both task slots stay busy to the end.
    long partitionBytes = Math.max(1 << 20, Files.size(data) / 8);
    SparkSession spark = SparkSession.builder()
        .master("local[2]")
        .appName("o2v-spark-benchmark")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.files.maxPartitionBytes", Long.toString(partitionBytes))
        .getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    double session = (System.nanoTime() - start) / 1e9;
    try {
      double[] jobs = new double[2];
      for (int run = 0; run < jobs.length; run++) {
        start = System.nanoTime();
        new Object2VecEmbedder()
            .setSide("in0")
            .setModelDir(model.toString())
            .transform(spark.read().schema("id BIGINT, in0 ARRAY<INT>").json(data.toString()))
            .write()
            // Embeddings never repeat: Parquet's dictionary attempt costs a third of the job.
            .option("parquet.enable.dictionary", "false")
            .mode("overwrite")
            .parquet(out.toString());
        jobs[run] = (System.nanoTime() - start) / 1e9;
      }
      start = System.nanoTime();
      long written = spark.read().parquet(out.toString()).count();
      double check = (System.nanoTime() - start) / 1e9;
      System.out.printf(Locale.ROOT,
          "spark-times session=%.3f first=%.3f second=%.3f check=%.3f parquet-rows=%d%n",
          session, jobs[0], jobs[1], check, written);
    } finally {
      spark.stop();
    }
  }

  /** Two threads embedding disjoint halves in calls of 1024 rows. */
  private static double apiRate(Path model, int rows, int vocab, int maxLen) throws Exception {
    SplittableRandom rng = new SplittableRandom(42);
    List<int[]> all = new ArrayList<>(rows);
    for (int i = 0; i < rows; i++) {
      all.add(randomIds(rng, vocab, maxLen));
    }
    ExecutorService pool = Executors.newFixedThreadPool(2);
    ModelOptions oneThread = ModelOptions.defaults().withThreads(1);
    try (Object2VecModel api = Object2VecModel.open(model, oneThread)) {
      long start = System.nanoTime();
      List<Future<?>> halves = new ArrayList<>();
      for (int t = 0; t < 2; t++) {
        int from = t * rows / 2;
        int to = (t + 1) * rows / 2;
        halves.add(pool.submit(() -> {
          for (int i = from; i < to; i += 1024) {
            api.embedFlat(Side.IN0, all.subList(i, Math.min(to, i + 1024)));
          }
        }));
      }
      for (Future<?> half : halves) {
        half.get();
      }
      return rows / ((System.nanoTime() - start) / 1e9);
    } finally {
      pool.shutdown();
    }
  }
}
