package dev.o2v.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.o2v.train.model.ModelDirectoryLock;
import dev.o2v.train.model.ModelManifest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded fuzzing of what a training run finds in its {@code --model-dir}: random earlier contents
 * are never lost without {@code --overwrite}, and random damage to checkpoints ends in a one-line
 * refusal naming the file or in the same model an undamaged run gives, never in another model.
 */
@Tag("engine")
class TrainDirectoryFuzzTest {

  private static final String LOCK = ModelDirectoryLock.lockFile(Path.of("")).toString();

  @TempDir Path dir;

  @Test
  void randomEarlierContentsOfTheModelDirectoryAreNeverLostWithoutOverwrite() throws IOException {
    TrainFixture task = TrainFixture.write(dir.resolve("task"));
    Path reference = dir.resolve("reference");
    task.trainOk(reference);
    SplittableRandom random = new SplittableRandom(1205);
    long start = System.nanoTime();
    int refused = 0;
    int trained = 0;
    for (int c = 0; c < 10; c++) {
      Path model = dir.resolve("case-" + c);
      int shape = random.nextInt(7);
      Map<String, byte[]> foreign = new HashMap<>();
      switch (shape) {
        case 1 -> Files.createDirectories(model);
        case 2 -> foreign.putAll(randomFiles(model, random));
        case 3 -> copyTree(reference, model);
        case 4 -> {
          copyTree(reference, model);
          foreign.putAll(randomFiles(model, random));
        }
        case 5 -> copyTree(reference.resolve("checkpoints"), model.resolve("checkpoints"));
        case 6 -> Files.writeString(model, "a file where a directory should be");
        default -> { } // absent
      }
      String flag = List.of("", "--overwrite", "--resume").get(random.nextInt(3));
      Map<String, byte[]> before = TrainFixture.snapshot(model);
      CliRunner.Result r = flag.isEmpty() ? task.train(model)
          : task.train(model, flag, "--set", "epochs=3");
      Map<String, byte[]> after = TrainFixture.snapshot(model);
      after.remove(LOCK);
      String what = "case " + c + " (shape " + shape + ", flag '" + flag + "'): " + r.err();
      assertEquals(List.of(), TrainFixture.lostOrChanged(foreign, after), what);
      if (r.exitCode() != 0) {
        refused++;
        TrainFixture.assertOneLineRefusal(ExitCodes.IO, r);
        assertEquals(List.of(), TrainFixture.lostOrChanged(before, after), what);
        assertEquals(before.keySet(), after.keySet(), what);
      } else {
        trained++;
        assertTrue(foreign.isEmpty() && shape != 6, what);
        assertTrue(flag.equals("--overwrite") || flag.equals("--resume") || before.isEmpty(),
            what);
        ModelManifest.readFrom(model); // a complete model whose files match their checksums
      }
    }
    System.out.printf(java.util.Locale.ROOT, "fuzz model directories: %d refused, %d trained in"
        + " %.1f s%n", refused, trained, (System.nanoTime() - start) / 1e9);
  }

  @Test
  void randomDamageToCheckpointsIsRefusedOrResumesToTheRightModel() throws IOException {
    TrainFixture task = TrainFixture.write(dir.resolve("task"));
    Path longer = dir.resolve("longer");
    task.trainOk(longer, "--set", "epochs=3");
    String expected = TrainFixture.weightsChecksum(longer);
    Path base = dir.resolve("base");
    task.trainOk(base);
    List<String> files = new ArrayList<>();
    try (Stream<Path> list = Files.list(base.resolve("checkpoints"))) {
      list.forEach(p -> files.add(p.getFileName().toString()));
    }
    SplittableRandom random = new SplittableRandom(74);
    long start = System.nanoTime();
    int refused = 0;
    int resumed = 0;
    for (int c = 0; c < 10; c++) {
      Path model = dir.resolve("damaged-" + c);
      copyTree(base, model);
      String name = files.get(random.nextInt(files.size()));
      String damage = damage(model.resolve("checkpoints").resolve(name), random);
      CliRunner.Result r = task.train(model, "--resume", "--set", "epochs=3");
      String what = "case " + c + " (" + damage + " in " + name + "): " + r.err();
      if (r.exitCode() != 0) {
        refused++;
        String err = TrainFixture.assertOneLineRefusal(ExitCodes.IO, r);
        assertTrue(err.contains(model.resolve("checkpoints").toString()), what);
      } else {
        resumed++;
        assertEquals(expected, TrainFixture.weightsChecksum(model), what);
      }
    }
    System.out.printf(java.util.Locale.ROOT, "fuzz damaged checkpoints: %d refused, %d resumed in"
        + " %.1f s%n", refused, resumed, (System.nanoTime() - start) / 1e9);
  }

  /** Overwrites, truncates or extends {@code file} at random; returns what it did. */
  private static String damage(Path file, SplittableRandom random) throws IOException {
    long size = Files.size(file);
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      switch (random.nextInt(3)) {
        case 0 -> {
          byte[] bytes = new byte[1 + random.nextInt(64)];
          random.nextBytes(bytes);
          long at = random.nextLong(Math.max(1, size));
          channel.write(ByteBuffer.wrap(bytes), at);
          return bytes.length + " random bytes at " + at;
        }
        case 1 -> {
          long keep = random.nextLong(Math.max(1, size));
          channel.truncate(keep);
          return "truncated to " + keep;
        }
        default -> {
          byte[] bytes = new byte[1 + random.nextInt(64)];
          random.nextBytes(bytes);
          channel.write(ByteBuffer.wrap(bytes), size);
          return bytes.length + " bytes appended";
        }
      }
    }
  }

  /** Foreign files under names o2v uses and names it does not; returns them (path → bytes). */
  private static Map<String, byte[]> randomFiles(Path root, SplittableRandom random)
      throws IOException {
    String[] names = {"metrics.json", "manifest.json", "notes.txt", "parameters-x.params",
        "hyperparameters.json", "checkpoints/latest.json", "checkpoints/weights.params",
        "checkpoints/epoch-0001.ckpt", ".hidden.tmp.d/x", "vocab.json"};
    Map<String, byte[]> written = new HashMap<>();
    int count = 1 + random.nextInt(3);
    for (int i = 0; i < count; i++) {
      String name = names[random.nextInt(names.length)];
      Path file = root.resolve(name);
      if (Files.exists(file)) {
        continue; // keep the o2v file a copied model has under this name
      }
      Files.createDirectories(file.getParent());
      byte[] bytes = new byte[random.nextInt(100)];
      random.nextBytes(bytes);
      Files.write(file, bytes);
      written.put(root.relativize(file).toString(), bytes);
    }
    return written;
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> all = Files.walk(from)) {
      for (Path source : (Iterable<Path>) all::iterator) {
        Path target = to.resolve(from.relativize(source).toString());
        if (Files.isDirectory(source)) {
          Files.createDirectories(target);
        } else if (!source.getFileName().toString().equals(LOCK)) {
          Files.copy(source, target);
        }
      }
    }
  }
}
