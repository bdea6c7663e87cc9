package dev.o2v.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.o2v.core.synthetic.JsonlWriter;
import dev.o2v.core.synthetic.SyntheticPairTask;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole stdout of {@code o2v train}, read the way SageMaker's metric definitions read a
 * training job's log: one regular expression per metric, the epoch and the value captured.
 */
@Tag("engine")
class TrainMetricLinesTest {

  private static final String QUALITY = "#quality_metric: host=algo-1, ";
  private static final Pattern TRAIN_LOSS = Pattern.compile(
      "#quality_metric: host=algo-1, epoch=(\\d+), train cross_entropy <loss>=(\\S+)");
  private static final Pattern TRAIN_ACCURACY = Pattern.compile(
      "#quality_metric: host=algo-1, epoch=(\\d+), train accuracy <score>=(\\S+)");
  private static final Pattern VALIDATION_LOSS = Pattern.compile(
      "#quality_metric: host=algo-1, epoch=(\\d+), validation cross_entropy <loss>=(\\S+)");
  private static final Pattern VALIDATION_ACCURACY = Pattern.compile(
      "#quality_metric: host=algo-1, epoch=(\\d+), validation accuracy <score>=(\\S+)");
  private static final Pattern TRAIN_MSE = Pattern.compile(
      "#quality_metric: host=algo-1, epoch=(\\d+), train mean_squared_error <loss>=(\\S+)");
  private static final Pattern TEST_LOSS =
      Pattern.compile("#quality_metric: host=algo-1, test cross_entropy <loss>=(\\S+)");
  private static final Pattern TEST_ACCURACY =
      Pattern.compile("#quality_metric: host=algo-1, test accuracy <score>=(\\S+)");
  private static final Pattern TEST_MSE =
      Pattern.compile("#quality_metric: host=algo-1, test mean_squared_error <loss>=(\\S+)");
  private static final Pattern TEST_SCORE =
      Pattern.compile("#test_score \\(algo-1\\) : \\('(\\w+)', (\\S+)\\)");
  private static final Pattern PROGRESS =
      Pattern.compile("#progress_metric: host=algo-1, completed (\\S+) % of epochs");
  private static final Pattern THROUGHPUT =
      Pattern.compile("#throughput_metric: host=algo-1, train throughput=(\\S+) records/second");
  private static final String STOPPED_EARLY =
      "#progress_metric: host=algo-1, completed 100 % epochs";

  @TempDir Path dir;

  @Test
  void everyEpochFromZeroHasItsMetricLinesAndTheTestScoresPrecedeTheTestMetrics()
      throws IOException {
    int epochs = 3;
    Path hp = hyperparameters("softmax", epochs, "\"early_stopping_patience\": 5");
    CliRunner.Result run = train(hp, true);
    List<String> lines = run.out().lines().toList();

    for (Pattern metric : List.of(TRAIN_LOSS, TRAIN_ACCURACY, VALIDATION_LOSS,
        VALIDATION_ACCURACY)) {
      Map<Integer, Double> byEpoch = byEpoch(metric, lines);
      assertEquals(List.of(0, 1, 2), new ArrayList<>(byEpoch.keySet()),
          metric.pattern() + " in\n" + run.out());
    }
    List<Double> progress = values(PROGRESS, lines);
    assertEquals(List.of(100.0 / 3, 200.0 / 3, 100.0), progress, run.out());
    assertEquals(epochs, values(THROUGHPUT, lines).size(), run.out());

    Map<String, Double> scores = new LinkedHashMap<>();
    for (String line : lines) {
      Matcher m = TEST_SCORE.matcher(line);
      if (m.matches()) {
        scores.put(m.group(1), Double.parseDouble(m.group(2)));
      }
    }
    assertEquals(List.of("perplexity", "cross_entropy", "accuracy"),
        new ArrayList<>(scores.keySet()), run.out());
    double testLoss = single(TEST_LOSS, lines);
    assertEquals(testLoss, scores.get("cross_entropy"), 0.0, "same loss in both lines");
    assertEquals(Math.exp(testLoss), scores.get("perplexity"), 1e-12 * scores.get("perplexity"),
        "perplexity = exp(cross_entropy)");
    assertEquals(single(TEST_ACCURACY, lines), scores.get("accuracy"), 0.0);
    assertTrue(lastIndexOf(lines, "#test_score") < firstIndexOf(lines, QUALITY + "test "),
        "test scores first:\n" + run.out());
    for (String line : lines) {
      assertTrue(line.startsWith("#"), "only metric lines on stdout: '" + line + "'");
    }
  }

  @Test
  void aRegressionRunThatStopsEarlySaysOneHundredPercentAndScoresTheTestChannelByMse()
      throws IOException {
    // A learning rate too small to lower the loss by the tolerance: epoch 0 is not judged, 1 and
    // 2 are bad, and with patience 1 the second bad epoch stops the run.
    Path hp = hyperparameters("mean_squared_error", 10, "\"early_stopping_patience\": 1,"
        + " \"early_stopping_tolerance\": 0.1, \"learning_rate\": 0.000001");
    CliRunner.Result run = train(hp, false);
    List<String> lines = run.out().lines().toList();

    Map<Integer, Double> mse = byEpoch(TRAIN_MSE, lines);
    assertEquals(List.of(0, 1, 2), new ArrayList<>(mse.keySet()), run.out());
    assertEquals(List.of(10.0, 20.0), values(PROGRESS, lines), run.out());
    assertEquals(1, lines.stream().filter(STOPPED_EARLY::equals).count(), run.out());
    assertTrue(firstIndexOf(lines, STOPPED_EARLY) > firstIndexOf(lines, QUALITY + "epoch=2, "),
        "the 100 % line follows the last epoch:\n" + run.out());
    List<String> scoreNames = new ArrayList<>();
    for (String line : lines) {
      Matcher m = TEST_SCORE.matcher(line);
      if (m.matches()) {
        scoreNames.add(m.group(1));
        assertEquals(single(TEST_MSE, lines), Double.parseDouble(m.group(2)), 0.0, line);
      }
    }
    assertEquals(List.of("mean_squared_error"), scoreNames, run.out());
  }

  @Test
  void evaluateOnTheTestChannelPrintsTheTestLinesThatTrainingPrinted() throws IOException {
    Path hp = hyperparameters("softmax", 2, "\"early_stopping_patience\": 5");
    CliRunner.Result run = train(hp, false);
    List<String> trained = run.out().lines()
        .filter(line -> line.startsWith("#test_score") || line.startsWith(QUALITY + "test "))
        .toList();
    assertEquals(3, trained.stream().filter(line -> TEST_SCORE.matcher(line).matches()).count(),
        run.out());

    CliRunner.Result evaluated = CliRunner.run("evaluate", "--model-dir",
        dir.resolve("model").toString(), "--data", dir.resolve("test.jsonl").toString());
    assertEquals(ExitCodes.OK, evaluated.exitCode(), evaluated.err());
    assertEquals(trained, evaluated.out().lines().toList(),
        "the kept model scored on the same file, printed as training printed it");
  }

  private CliRunner.Result train(Path hp, boolean validation) throws IOException {
    SyntheticPairTask task = new SyntheticPairTask(
        new SyntheticPairTask.Config(40, 4, 8, 2, 6, 0.9, 0.5, false));
    SplittableRandom rng = new SplittableRandom(11);
    Path train = dir.resolve("train.jsonl");
    Path valid = dir.resolve("validation.jsonl");
    Path test = dir.resolve("test.jsonl");
    JsonlWriter.writeAll(train, task.generate(256, rng), true);
    JsonlWriter.writeAll(valid, task.generate(64, rng), true);
    JsonlWriter.writeAll(test, task.generate(64, rng), true);
    List<String> args = new ArrayList<>(List.of("train", "--hp", hp.toString(), "--data",
        train.toString(), "--test", test.toString(), "--model-dir",
        dir.resolve("model").toString()));
    if (validation) {
      args.addAll(List.of("--validation", valid.toString()));
    }
    CliRunner.Result run = CliRunner.run(args.toArray(String[]::new));
    assertEquals(ExitCodes.OK, run.exitCode(), run.err());
    return run;
  }

  private Path hyperparameters(String outputLayer, int epochs, String extra) throws IOException {
    Path hp = dir.resolve("hp.json");
    Files.writeString(hp, "{\"enc0_vocab_size\": \"40\", \"enc0_max_seq_len\": \"6\","
        + " \"enc0_network\": \"pooled_embedding\", \"enc_dim\": \"8\", \"mlp_dim\": \"8\","
        + " \"mlp_layers\": \"1\", \"mini_batch_size\": \"32\", \"output_layer\": \""
        + outputLayer + "\", \"epochs\": \"" + epochs + "\", " + extra + "}",
        StandardCharsets.UTF_8);
    return hp;
  }

  /** Epoch → value of every line the pattern matches; fails on a repeated epoch. */
  private static Map<Integer, Double> byEpoch(Pattern pattern, List<String> lines) {
    Map<Integer, Double> values = new LinkedHashMap<>();
    for (String line : lines) {
      Matcher m = pattern.matcher(line);
      if (m.matches()) {
        Double previous =
            values.put(Integer.parseInt(m.group(1)), Double.parseDouble(m.group(2)));
        assertEquals(null, previous, "epoch printed twice: " + line);
      }
    }
    return values;
  }

  private static List<Double> values(Pattern pattern, List<String> lines) {
    List<Double> values = new ArrayList<>();
    for (String line : lines) {
      Matcher m = pattern.matcher(line);
      if (m.matches()) {
        values.add(Double.parseDouble(m.group(1)));
      }
    }
    return values;
  }

  private static double single(Pattern pattern, List<String> lines) {
    List<Double> values = values(pattern, lines);
    assertEquals(1, values.size(), pattern.pattern() + " matched " + values);
    return values.get(0);
  }

  private static int firstIndexOf(List<String> lines, String prefix) {
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).startsWith(prefix)) {
        return i;
      }
    }
    return -1;
  }

  private static int lastIndexOf(List<String> lines, String prefix) {
    int last = -1;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).startsWith(prefix)) {
        last = i;
      }
    }
    return last;
  }
}
