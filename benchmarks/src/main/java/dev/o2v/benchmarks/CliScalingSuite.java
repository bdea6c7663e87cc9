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
 * rows and optimizer state are touched all over, as a real large vocabulary's would be.
 */
public final class CliScalingSuite {

  /** The small and the large vocabulary. */
  static final int[] VOCABS = {10_000, 3_000_000};

  private static final int RECORDS = 30_000;
  private static final int EPOCHS = 2;
  private static final Pattern THROUGHPUT =
      Pattern.compile("#throughput_metric: .*train throughput=([0-9.eE+-]+) records/second");

  /**
   * One vocabulary's run.
   *
   * @param vocab rows of the tied table
   * @param epochRates each epoch's {@code #throughput_metric}, records/s
   * @param wallSeconds the command's wall time
   */
  public record Result(int vocab, double[] epochRates, double wallSeconds) {}

  private CliScalingSuite() {}

  /** Runs {@code launcher train} at each vocabulary; an empty list when there is no launcher. */
  public static List<Result> run(HarnessOptions options, Path launcher, Path workDir)
      throws IOException, InterruptedException {
    if (!Files.isExecutable(launcher)) {
      System.out.println("cli: no executable launcher at " + launcher + "; skipped");
      return List.of();
    }
    List<Result> results = new ArrayList<>();
    for (int vocab : VOCABS) {
      Path data = workDir.resolve("cli-" + vocab + ".jsonl");
      Path hp = workDir.resolve("cli-" + vocab + ".json");
      writeData(data, vocab, options.seed());
      new ObjectMapper().writeValue(hp.toFile(), hyperparameters(vocab));
      List<String> command = List.of(launcher.toString(), "train", "--hp", hp.toString(),
          "--data", data.toString(), "--model-dir", workDir.resolve("cli-model").toString(),
          "--overwrite", "--no-report", "--threads", Integer.toString(options.threads()),
          "--seed", Long.toString(options.seed()));
      System.out.printf(Locale.ROOT, "cli: o2v train at vocabulary %,d%n", vocab);
      long start = System.nanoTime();
      Process process = new ProcessBuilder(command)
          .redirectError(workDir.resolve("cli-" + vocab + ".log").toFile()).start();
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
      double seconds = (System.nanoTime() - start) / 1e9;
      if (exit != 0 || rates.size() != EPOCHS) {
        throw new IOException(String.format(Locale.ROOT, "o2v train at vocabulary %d exited %d"
            + " with %d throughput lines; see %s", vocab, exit, rates.size(),
            workDir.resolve("cli-" + vocab + ".log")));
      }
      Result result = new Result(vocab, rates.stream().mapToDouble(Double::doubleValue).toArray(),
          seconds);
      System.out.printf(Locale.ROOT, "  epochs %s records/s, %.1f s in all%n",
          rates, seconds);
      results.add(result);
    }
    return results;
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

  private static void writeData(Path file, int vocab, long seed) throws IOException {
    SplittableRandom random = new SplittableRandom(seed);
    List<PairExample> examples = new ArrayList<>(RECORDS);
    for (int i = 0; i < RECORDS; i++) {
      examples.add(new PairExample(ids(random, vocab), ids(random, vocab), random.nextInt(2)));
    }
    JsonlWriter.writeAll(file, examples, true);
  }

  private static int[] ids(SplittableRandom random, int vocab) {
    int[] ids = new int[5 + random.nextInt(16)];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = 1 + random.nextInt(vocab - 1);
    }
    return ids;
  }
}
