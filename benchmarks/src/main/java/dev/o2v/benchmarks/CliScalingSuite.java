package dev.o2v.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.o2v.core.synthetic.JsonlWriter;
import dev.o2v.core.synthetic.PairExample;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code o2v train}'s own {@code #throughput_metric} against vocabulary size, measured through
 * the command as a user runs it (a child process of the {@code o2v} launcher, start-up, data
 * reading, checkpoints and model writing included, each epoch's rate as the command prints it).
 *
 * <p>The same settings train at vocabulary 10,000 and 3,000,000 (tied pooled_embedding, enc_dim
 * 128, MLP 1 × 128 relu, batch 256, row_sparse, Adam 0.001, two epochs) on 30,000 records whose
 * ids are uniform over the whole vocabulary (lengths 5 to 20 per side), so the large table's
 * rows and optimizer state are touched all over, as a real large vocabulary's would be. The two
 * commands take turns for {@link #ROUNDS} rounds (one in a quick run), so a change of machine
 * load hits both; each epoch's rate and the wall time are medians over the rounds.
 *
 * <p>Beside the commands it measures {@link ScatteredRowsFloor} for the rows a batch of each
 * vocabulary updates: the memory time no implementation avoids, which caps the ratio.
 */
public final class CliScalingSuite {

  /** The small and the large vocabulary. */
  static final int[] VOCABS = {10_000, 3_000_000};

  /**
   * Rounds of the two commands in a full run. Epoch 0 is about a second of mostly warm-up, and one
   * command's epoch-0 rate read 17,108, 23,508 and 20,948 records/s in three rounds of one run, so
   * the median takes five.
   */
  static final int ROUNDS = 5;

  private static final int RECORDS = 30_000;
  private static final int EPOCHS = 2;
  /** Batches whose distinct rows are averaged for the floor. */
  private static final int SHAPE_BATCHES = 20;
  private static final Pattern THROUGHPUT =
      Pattern.compile("#throughput_metric: .*train throughput=([0-9.eE+-]+) records/second");

  /**
   * One vocabulary's runs.
   *
   * @param vocab rows of the tied table
   * @param epochRates each epoch's {@code #throughput_metric}, records/s, median over the rounds
   * @param wallSeconds the command's wall time, median over the rounds
   * @param rounds how many times the command ran
   * @param rowsPerBatch distinct table rows a batch updates, on average
   * @param rowsFloorMillis {@link ScatteredRowsFloor}'s time for those rows
   */
  public record Result(int vocab, double[] epochRates, double wallSeconds, int rounds,
      int rowsPerBatch, double rowsFloorMillis) {}

  private CliScalingSuite() {}

  /** Runs {@code launcher train} at each vocabulary; an empty list when there is no launcher. */
  public static List<Result> run(HarnessOptions options, Path launcher, Path workDir)
      throws IOException, InterruptedException {
    if (!Files.isExecutable(launcher)) {
      System.out.println("cli: no executable launcher at " + launcher + "; skipped");
      return List.of();
    }
    int rounds = options.quick() ? 1 : ROUNDS;
    List<List<String>> commands = new ArrayList<>();
    int[] rowsPerBatch = new int[VOCABS.length];
    for (int v = 0; v < VOCABS.length; v++) {
      int vocab = VOCABS[v];
      Path data = workDir.resolve("cli-" + vocab + ".jsonl");
      Path hp = workDir.resolve("cli-" + vocab + ".json");
      rowsPerBatch[v] = writeData(data, vocab, options.seed());
      new ObjectMapper().writeValue(hp.toFile(), hyperparameters(vocab));
      commands.add(List.of(launcher.toString(), "train", "--hp", hp.toString(),
          "--data", data.toString(), "--model-dir", workDir.resolve("cli-model").toString(),
          "--overwrite", "--no-report", "--threads", Integer.toString(options.threads()),
          "--seed", Long.toString(options.seed())));
    }
    double[][][] rates = new double[VOCABS.length][EPOCHS][rounds];
    double[][] walls = new double[VOCABS.length][rounds];
    for (int round = 0; round < rounds; round++) {
      for (int v = 0; v < VOCABS.length; v++) {
        System.out.printf(Locale.ROOT, "cli: o2v train at vocabulary %,d, round %d of %d%n",
            VOCABS[v], round + 1, rounds);
        Path log = workDir.resolve("cli-" + VOCABS[v] + ".log");
        long start = System.nanoTime();
        double[] epochRates = runOnce(commands.get(v), log);
        walls[v][round] = (System.nanoTime() - start) / 1e9;
        for (int e = 0; e < EPOCHS; e++) {
          rates[v][e][round] = epochRates[e];
        }
        System.out.printf(Locale.ROOT, "  epochs %s records/s, %.1f s in all%n",
            Arrays.toString(epochRates), walls[v][round]);
      }
    }
    List<Result> results = new ArrayList<>();
    for (int v = 0; v < VOCABS.length; v++) {
      double floor = ScatteredRowsFloor.millisPerStep(VOCABS[v], SparseScalingBenchmark.ENC_DIM,
          rowsPerBatch[v], options.threads(), options.seed());
      System.out.printf(Locale.ROOT, "  vocabulary %,d: %,d rows a batch, their lines read and"
          + " written in %.2f ms%n", VOCABS[v], rowsPerBatch[v], floor);
      double[] medians = new double[EPOCHS];
      for (int e = 0; e < EPOCHS; e++) {
        medians[e] = Stats.median(rates[v][e]);
      }
      results.add(new Result(VOCABS[v], medians, Stats.median(walls[v]), rounds,
          rowsPerBatch[v], floor));
    }
    return results;
  }

  /** Runs one command; returns each epoch's rate as it printed them. */
  private static double[] runOnce(List<String> command, Path log)
      throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectError(log.toFile()).start();
    List<Double> rates = new ArrayList<>();
    try (BufferedReader out = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        Matcher m = THROUGHPUT.matcher(line);
        if (m.find()) {
          rates.add(Double.parseDouble(m.group(1)));
        }
      }
    }
    int exit = process.waitFor();
    if (exit != 0 || rates.size() != EPOCHS) {
      throw new IOException(String.format(Locale.ROOT, "%s exited %d with %d throughput lines;"
          + " see %s", String.join(" ", command), exit, rates.size(), log));
    }
    return rates.stream().mapToDouble(Double::doubleValue).toArray();
  }

  /**
   * The most the large vocabulary's rate can be of the small one's in epoch {@code epoch}, given
   * the memory time of its rows: the small vocabulary's step plus the extra time the large
   * table's scattered rows take over the small table's ({@link ScatteredRowsFloor}).
   */
  static double ceiling(List<Result> results, int epoch) {
    Result small = results.get(0);
    Result large = results.get(results.size() - 1);
    double smallStep = 1000.0 * SparseScalingBenchmark.BATCH / small.epochRates()[epoch];
    double extra = Math.max(0, large.rowsFloorMillis() - small.rowsFloorMillis());
    return smallStep / (smallStep + extra);
  }

  /** Epoch {@code epoch}'s rate at the large vocabulary over that at the small one. */
  static double ratio(List<Result> results, int epoch) {
    return results.get(results.size() - 1).epochRates()[epoch]
        / results.get(0).epochRates()[epoch];
  }

  private static Map<String, Object> hyperparameters(int vocab) {
    Map<String, Object> raw = SparseScalingBenchmark.rawHyperparameters("row_sparse", vocab);
    raw.put("epochs", EPOCHS);
    return raw;
  }

  /** Writes the records; returns the distinct ids a batch of them holds, on average. */
  private static int writeData(Path file, int vocab, long seed) throws IOException {
    SplittableRandom random = new SplittableRandom(seed);
    List<PairExample> examples = new ArrayList<>(RECORDS);
    int[][] sides = new int[2 * RECORDS][];
    for (int i = 0; i < RECORDS; i++) {
      PairExample example = new PairExample(ids(random, vocab), ids(random, vocab),
          random.nextInt(2));
      examples.add(example);
      sides[2 * i] = example.in0();
      sides[2 * i + 1] = example.in1();
    }
    JsonlWriter.writeAll(file, examples, true);
    return ScatteredRowsFloor.distinctRowsPerBatch(sides, SparseScalingBenchmark.BATCH,
        SHAPE_BATCHES);
  }

  private static int[] ids(SplittableRandom random, int vocab) {
    int[] ids = new int[5 + random.nextInt(16)];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = 1 + random.nextInt(vocab - 1);
    }
    return ids;
  }
}
