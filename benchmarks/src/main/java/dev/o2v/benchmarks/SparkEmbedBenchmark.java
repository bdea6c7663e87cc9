package dev.o2v.benchmarks;

import dev.o2v.api.ModelOptions;
import dev.o2v.api.Object2VecModel;
import dev.o2v.api.Side;
import dev.o2v.spark.Object2VecEmbedder;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Embedding throughput of one side, three ways on the same rows: {@code o2v embed} (a child
 * process of the launcher, 2 workers), a Spark job ({@code local[2]}, JSON Lines to Parquet, run
 * twice in one session) and
 * the in-process API (2 calling threads). Each uses one libtorch thread per worker.
 *
 * <p>Usage: {@code SparkEmbedBenchmark MODEL_DIR ROWS WORK_DIR O2V_LAUNCHER}. The input
 * ({@code {"id": i, "in0": [...]}}, 1 to max_seq_len random ids, seeded) is written to WORK_DIR
 * once and reused. Prints rows/s of each and the Spark-to-command ratio, with the load average.
 */
public final class SparkEmbedBenchmark {

  private static final Pattern CLI_RATE =
      Pattern.compile("embed: (\\d+) records in ([0-9.]+) s");

  private SparkEmbedBenchmark() {}

  /** Entry point. */
  public static void main(String[] args) throws Exception {
    if (args.length != 4) {
      System.err.println("usage: SparkEmbedBenchmark MODEL_DIR ROWS WORK_DIR O2V_LAUNCHER");
      System.exit(2);
    }
    Path model = Path.of(args[0]);
    int rows = Integer.parseInt(args[1]);
    Path work = Files.createDirectories(Path.of(args[2]));
    Path launcher = Path.of(args[3]);
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

    double cli = commandRate(launcher, model, data, work.resolve("cli.jsonl"));
    System.out.printf(Locale.ROOT, "o2v embed (2 workers, --threads 1): %,.0f rows/s%n", cli);

    double[] spark = sparkRates(model, data, work.resolve("spark.parquet"), rows);
    System.out.printf(Locale.ROOT,
        "Spark local[2] JSON Lines -> Parquet, first job (cold JVM, model load): %,.0f rows/s"
            + " (%.2fx)%n", spark[0], spark[0] / cli);
    System.out.printf(Locale.ROOT,
        "Spark local[2] JSON Lines -> Parquet, second job: %,.0f rows/s (%.2fx)%n",
        spark[1], spark[1] / cli);

    double api = apiRate(model, rows, vocab, maxLen);
    System.out.printf(Locale.ROOT, "in-process API (2 threads, 1024 rows a call): %,.0f rows/s%n",
        api);
    System.out.println("load average at end: " + MachineInfo.currentLoadAverage());
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

  /** The rate {@code o2v embed} logs for itself (reading, inference and writing). */
  private static double commandRate(Path launcher, Path model, Path data, Path out)
      throws IOException, InterruptedException {
    Process process = new ProcessBuilder(launcher.toString(), "embed", "--model-dir",
            model.toString(), "--data", data.toString(), "--side", "in0", "--threads", "1",
            "--out", out.toString())
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start();
    String log = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    if (process.waitFor() != 0) {
      throw new IOException("o2v embed failed: " + log);
    }
    Matcher m = CLI_RATE.matcher(log);
    if (!m.find()) {
      throw new IOException("o2v embed logged no rate: " + log);
    }
    return Long.parseLong(m.group(1)) / Double.parseDouble(m.group(2));
  }

  /**
   * Rows over the wall time of two identical jobs in one session: the first includes the JVM's
   * warm-up, Spark's code generation and the model load; the second is the steady state.
   */
  private static double[] sparkRates(Path model, Path data, Path out, int rows)
      throws IOException {
    // About 4 partitions per core, so both task slots stay busy to the end.
    long partitionBytes = Math.max(1 << 20, Files.size(data) / 8);
    SparkSession spark = SparkSession.builder()
        .master("local[2]")
        .appName("o2v-spark-benchmark")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.files.maxPartitionBytes", Long.toString(partitionBytes))
        .getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    StructType schema = new StructType()
        .add("id", DataTypes.LongType)
        .add("in0", DataTypes.createArrayType(DataTypes.LongType));
    try {
      double[] rates = new double[2];
      for (int run = 0; run < rates.length; run++) {
        long start = System.nanoTime();
        new Object2VecEmbedder()
            .setSide("in0")
            .setModelDir(model.toString())
            .transform(spark.read().schema(schema).json(data.toString()))
            .write()
            // Embeddings never repeat: Parquet's dictionary attempt costs a third of the job.
            .option("parquet.enable.dictionary", "false")
            .mode("overwrite")
            .parquet(out.toString());
        rates[run] = rows / ((System.nanoTime() - start) / 1e9);
        long written = spark.read().parquet(out.toString()).count();
        if (written != rows) {
          throw new IllegalStateException("Parquet holds " + written + " rows, expected " + rows);
        }
      }
      return rates;
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
