package dev.o2v.core.synthetic;

import dev.o2v.core.batch.Seeds;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Writes the quickstart example: {@code train.jsonl}, {@code validation.jsonl}, {@code
 * test.jsonl} of the {@link SyntheticPairTask} classification task and an {@code hp.json} that
 * trains it in well under a minute on two CPU cores.
 *
 * <p>Usage: {@code GenerateExamples [OUTPUT_DIR [SEED]]}, defaults {@code examples/quickstart}
 * and 20240601.
 */
public final class GenerateExamples {

  /** Training records in the quickstart. */
  public static final int TRAIN_RECORDS = 4000;
  /** Validation records in the quickstart. */
  public static final int VALIDATION_RECORDS = 500;
  /** Test records in the quickstart. */
  public static final int TEST_RECORDS = 500;
  /** Seed used when none is given. */
  public static final long DEFAULT_SEED = 20240601L;

  private GenerateExamples() {}

  /** Entry point; see the class documentation for the arguments. */
  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args.length > 0 ? args[0] : "examples/quickstart");
    long seed = args.length > 1 ? Long.parseLong(args[1]) : DEFAULT_SEED;
    writeQuickstart(dir, seed);
    System.out.println("wrote quickstart example to " + dir.toAbsolutePath());
  }

  /** Writes the three channels and {@code hp.json} into {@code dir} (created if needed). */
  public static void writeQuickstart(Path dir, long seed) throws IOException {
    Files.createDirectories(dir);
    SyntheticPairTask task = new SyntheticPairTask(quickstartConfig());
    writeSplit(task, dir.resolve("train.jsonl"), TRAIN_RECORDS, Seeds.derive(seed, 0));
    writeSplit(task, dir.resolve("validation.jsonl"), VALIDATION_RECORDS, Seeds.derive(seed, 1));
    writeSplit(task, dir.resolve("test.jsonl"), TEST_RECORDS, Seeds.derive(seed, 2));
    Files.writeString(dir.resolve("hp.json"), hyperparameters(task), StandardCharsets.UTF_8);
  }

  private static void writeSplit(SyntheticPairTask task, Path file, int records, long seed)
      throws IOException {
    JsonlWriter.writeAll(file, task.generate(records, new SplittableRandom(seed)), true);
  }

  /**
   * A vocabulary of 300 (id 0 for padding, 50 filler ids, 10 topics of 24 ids): small enough that
   * 4,000 records show every token often, so the quickstart generalises within a few epochs.
   */
  static SyntheticPairTask.Config quickstartConfig() {
    return new SyntheticPairTask.Config(300, 10, 50, 3, 20, 0.7, 0.5, false);
  }

  /** Small bilstm settings that fit the task; every key is a documented hyperparameter. */
  static String hyperparameters(SyntheticPairTask task) {
    SyntheticPairTask.Config c = task.config();
    return "{\n"
        + "  \"enc0_vocab_size\": " + c.vocabSize() + ",\n"
        + "  \"enc0_max_seq_len\": " + c.maxLength() + ",\n"
        + "  \"enc0_network\": \"bilstm\",\n"
        + "  \"enc0_layers\": 1,\n"
        + "  \"enc0_token_embedding_dim\": 64,\n"
        + "  \"enc_dim\": 64,\n"
        + "  \"mlp_layers\": 1,\n"
        + "  \"mlp_dim\": 64,\n"
        + "  \"mlp_activation\": \"relu\",\n"
        + "  \"output_layer\": \"softmax\",\n"
        + "  \"num_classes\": 2,\n"
        + "  \"mini_batch_size\": 64,\n"
        + "  \"epochs\": 10,\n"
        + "  \"learning_rate\": 0.003,\n"
        + "  \"early_stopping_patience\": 3\n"
        + "}\n";
  }
}
