package dev.o2v.cli;

import dev.o2v.core.synthetic.JsonlWriter;
import dev.o2v.core.synthetic.SyntheticPairTask;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code o2v train} in a child JVM on the test classpath, so a test can kill it like a
 * crashed machine would (SIGKILL) and inspect what it left on disk.
 */
final class TrainProcess {

  /** The inputs of a small training run: hyperparameters, train and validation channels. */
  record Inputs(Path hp, Path train, Path validation) {}

  private TrainProcess() {}

  /**
   * Writes a small synthetic task whose model has a large token table (so each checkpoint takes
   * a while to write) but trains in seconds.
   */
  static Inputs writeInputs(Path dir, int vocabSize, int epochs) throws IOException {
    SyntheticPairTask task = new SyntheticPairTask(
        new SyntheticPairTask.Config(vocabSize, 5, 10, 2, 8, 0.9, 0.5, false));
    SplittableRandom rng = new SplittableRandom(3);
    Path train = dir.resolve("train.jsonl");
    Path validation = dir.resolve("validation.jsonl");
    JsonlWriter.writeAll(train, task.generate(800, rng), true);
    JsonlWriter.writeAll(validation, task.generate(100, rng), true);
    Path hp = dir.resolve("hp.json");
    Files.writeString(hp, String.join("\n",
        "{",
        "  \"enc0_vocab_size\": " + vocabSize + ",",
        "  \"enc0_max_seq_len\": 8,",
        "  \"enc0_network\": \"hcnn\",",
        "  \"enc0_layers\": 1,",
        "  \"enc0_token_embedding_dim\": 16,",
        "  \"enc_dim\": 16,",
        "  \"mlp_layers\": 1,",
        "  \"mlp_dim\": 16,",
        "  \"dropout\": 0.2,",
        "  \"negative_sampling_rate\": 1,",
        "  \"bucket_width\": 2,",
        "  \"mini_batch_size\": 32,",
        "  \"learning_rate\": 0.01,",
        "  \"epochs\": " + epochs + ",",
        "  \"early_stopping_patience\": 5,",
        "  \"early_stopping_tolerance\": 0.000001",
        "}"), StandardCharsets.UTF_8);
    return new Inputs(hp, train, validation);
  }

  /** Starts {@code o2v train} with {@code extraArgs}; output goes to {@code log}. */
  static Process start(Inputs inputs, Path modelDir, Path log, String... extraArgs)
      throws IOException {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx1g",
        "-Dai.djl.offline=true",
        "-Dai.djl.pytorch.num_threads=1",
        "-Dai.djl.pytorch.num_interop_threads=1",
        "-cp", System.getProperty("java.class.path"),
        O2vMain.class.getName(),
        "train",
        "--hp", inputs.hp().toString(),
        "--data", inputs.train().toString(),
        "--validation", inputs.validation().toString(),
        "--model-dir", modelDir.toString(),
        "--seed", "7"));
    command.addAll(List.of(extraArgs));
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .start();
  }

  /** Waits for a run to end on its own; returns its exit code. */
  static int await(Process process, Path log) throws IOException, InterruptedException {
    if (!process.waitFor(5, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError("o2v train did not finish; log:\n" + tail(log));
    }
    return process.exitValue();
  }

  /** The last lines of a log, for failure messages. */
  static String tail(Path log) throws IOException {
    List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
  }
}
