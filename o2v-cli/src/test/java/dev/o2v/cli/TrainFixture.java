package dev.o2v.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.o2v.train.model.ModelManifest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.Stream;

/** A training task small enough to train in well under a second, and snapshots of directories. */
final class TrainFixture {

  final Path hp;
  final Path data;

  private TrainFixture(Path hp, Path data) {
    this.hp = hp;
    this.data = data;
  }

  /** Writes the hyperparameters and 64 training records into {@code dir}. */
  static TrainFixture write(Path dir) throws IOException {
    Files.createDirectories(dir);
    Path hp = dir.resolve("hp.json");
    Files.writeString(hp, "{\"enc0_vocab_size\": \"20\", \"enc0_max_seq_len\": \"4\","
        + " \"enc_dim\": \"8\", \"enc0_network\": \"pooled_embedding\", \"mlp_dim\": \"8\","
        + " \"mini_batch_size\": \"16\", \"epochs\": \"2\", \"early_stopping_patience\": \"5\","
        + " \"early_stopping_tolerance\": \"0.000001\"}", StandardCharsets.UTF_8);
    SplittableRandom rng = new SplittableRandom(9);
    StringBuilder lines = new StringBuilder();
    for (int i = 0; i < 64; i++) {
      int a = rng.nextInt(20);
      int b = rng.nextInt(20);
      lines.append(String.format(Locale.ROOT, "{\"label\": %d, \"in0\": [%d, %d], \"in1\": [%d]}%n",
          a % 2 == b % 2 ? 1 : 0, a, rng.nextInt(20), b));
    }
    Path data = dir.resolve("train.jsonl");
    Files.writeString(data, lines, StandardCharsets.UTF_8);
    return new TrainFixture(hp, data);
  }

  /** Runs {@code o2v train} on this task into {@code modelDir} with {@code extra} arguments. */
  CliRunner.Result train(Path modelDir, String... extra) {
    List<String> args = new ArrayList<>(List.of("train", "--hp", hp.toString(), "--data",
        data.toString(), "--model-dir", modelDir.toString(), "--threads", "1"));
    args.addAll(List.of(extra));
    return CliRunner.run(args.toArray(String[]::new));
  }

  /** Trains and insists that it worked. */
  void trainOk(Path modelDir, String... extra) {
    CliRunner.Result r = train(modelDir, extra);
    assertEquals(ExitCodes.OK, r.exitCode(), r.err());
  }

  /** The checksum of a model's weights, from its manifest. */
  static String weightsChecksum(Path modelDir) {
    try {
      return ModelManifest.readFrom(modelDir).files().get("parameters").crc32c();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every regular file under {@code dir} (relative path → content), for before/after checks. */
  static Map<String, byte[]> snapshot(Path dir) throws IOException {
    Map<String, byte[]> files = new TreeMap<>();
    if (!Files.exists(dir)) {
      return files;
    }
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path file : (Iterable<Path>) all::iterator) {
        if (Files.isRegularFile(file)) {
          files.put(dir.relativize(file).toString(), Files.readAllBytes(file));
        }
      }
    }
    return files;
  }

  /** The files of {@code before} that are missing or changed in {@code after}. */
  static List<String> lostOrChanged(Map<String, byte[]> before, Map<String, byte[]> after) {
    List<String> lost = new ArrayList<>();
    before.forEach((name, bytes) -> {
      byte[] now = after.get(name);
      if (now == null || !java.util.Arrays.equals(bytes, now)) {
        lost.add(name);
      }
    });
    return lost;
  }

  /** Asserts a refusal: the exit code and one line of stderr, without a stack trace. */
  static String assertOneLineRefusal(int code, CliRunner.Result r) {
    assertEquals(code, r.exitCode(), r.err());
    String err = r.err().strip();
    assertEquals(1, err.lines().count(), "one line:\n" + err);
    return err;
  }
}
