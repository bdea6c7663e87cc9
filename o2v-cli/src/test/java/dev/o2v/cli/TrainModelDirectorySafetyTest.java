package dev.o2v.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.o2v.train.model.ModelDirectoryLock;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code o2v train} never destroys what its {@code --model-dir} held: other files, an earlier
 * model without {@code --overwrite}, a run in progress; a resume refuses a damaged checkpoint or
 * changed settings with a one-line reason.
 */
@Tag("engine")
class TrainModelDirectorySafetyTest {

  @TempDir Path dir;

  @Test
  void aDirectoryWithOtherFilesIsRefusedAndLeftExactlyAsItWas() throws IOException {
    TrainFixture task = TrainFixture.write(dir.resolve("task"));
    Path mine = dir.resolve("mine");
    Files.createDirectories(mine.resolve("checkpoints"));
    Files.writeString(mine.resolve("weights.params"), "my own weights");
    Files.writeString(mine.resolve("metrics.json"), "{\"mine\": true}");
    Files.writeString(mine.resolve("checkpoints/best.params"), "also mine");
    Map<String, byte[]> before = TrainFixture.snapshot(mine);
    for (String[] flags : List.of(new String[0], new String[] {"--overwrite"},
        new String[] {"--resume"})) {
      CliRunner.Result r = task.train(mine, flags);
      String err = TrainFixture.assertOneLineRefusal(ExitCodes.IO, r);
      assertTrue(err.contains("holds files o2v did not write") && err.contains("weights.params")
          && err.contains("metrics.json") && err.contains("checkpoints/best.params"), err);
      assertEquals(List.of(), TrainFixture.lostOrChanged(before, TrainFixture.snapshot(mine)),
          "files changed by " + List.of(flags));
      assertEquals(before.keySet(), TrainFixture.snapshot(mine).keySet(), "files added");
    }
  }

  @Test
  void anExistingModelIsReplacedOnlyWithOverwrite() throws IOException {
    TrainFixture task = TrainFixture.write(dir.resolve("task"));
    Path model = dir.resolve("model");
    task.trainOk(model);
    Map<String, byte[]> first = TrainFixture.snapshot(model);

    CliRunner.Result again = task.train(model, "--set", "learning_rate=0.01");
    String err = TrainFixture.assertOneLineRefusal(ExitCodes.IO, again);
    assertTrue(err.contains("holds a trained o2v model") && err.contains("--overwrite"), err);
    assertEquals(List.of(), TrainFixture.lostOrChanged(first, TrainFixture.snapshot(model)));

    String before = TrainFixture.weightsChecksum(model);
    task.trainOk(model, "--set", "learning_rate=0.01", "--overwrite");
    assertNotEquals(before, TrainFixture.weightsChecksum(model), "the model was replaced");
  }

  @Test
  void anUnfinishedRunsCheckpointsNeedResumeOrOverwrite() throws IOException {
    TrainFixture task = TrainFixture.write(dir.resolve("task"));
    Path model = dir.resolve("model");
    task.trainOk(model);
    for (String name : List.of("manifest.json", "metrics.json", "hyperparameters.json")) {
      Files.delete(model.resolve(name)); // as a run killed before writing its model leaves it
    }
    CliRunner.Result r = task.train(model);
    String err = TrainFixture.assertOneLineRefusal(ExitCodes.IO, r);
    assertTrue(err.contains("checkpoints of an unfinished training run")
        && err.contains("--resume"), err);
    task.trainOk(model, "--resume");
  }

  @Test
  void aSecondTrainingOnADirectoryInUseIsRefused() throws Exception {
    TrainProcess.Inputs inputs = TrainProcess.writeInputs(dir, 50, 100);
    Path model = dir.resolve("model");
    Path log = dir.resolve("first.log");
    Process first = TrainProcess.start(inputs, model, log);
    try {
      Path latest = model.resolve("checkpoints/latest.json");
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
      while (!Files.exists(latest)) { // the first run holds the lock from before its first epoch
        assertTrue(first.isAlive(), () -> "the first run ended:\n" + tail(log));
        assertTrue(System.nanoTime() < deadline, "no checkpoint after two minutes");
        first.waitFor(20, TimeUnit.MILLISECONDS);
      }
      Map<String, byte[]> inUse = TrainFixture.snapshot(model.resolve("checkpoints"));
      CliRunner.Result second = CliRunner.run("train", "--hp", inputs.hp().toString(), "--data",
          inputs.train().toString(), "--model-dir", model.toString(), "--resume");
      String err = TrainFixture.assertOneLineRefusal(ExitCodes.IO, second);
      assertTrue(err.contains("in use by another o2v train (process " + first.pid() + ")"), err);
      assertFalse(inUse.isEmpty(), "checkpoint files");
    } finally {
      first.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
    // The lock goes with the process that held it: nothing to clear by hand after a kill.
    try (ModelDirectoryLock lock = ModelDirectoryLock.tryAcquire(model).orElseThrow()) {
      assertTrue(Files.exists(ModelDirectoryLock.lockFile(model)), "lock file");
    }
  }

  @Test
  void aLockHeldInThisProcessAlsoRefusesASecondRun() throws IOException {
    TrainFixture task = TrainFixture.write(dir.resolve("task"));
    Path model = dir.resolve("model");
    Optional<ModelDirectoryLock> held = ModelDirectoryLock.tryAcquire(model);
    try (ModelDirectoryLock lock = held.orElseThrow()) {
      String err = TrainFixture.assertOneLineRefusal(ExitCodes.IO, task.train(model));
      assertTrue(err.contains("in use by another o2v train"), err);
    }
    task.trainOk(model);
  }

  @Test
  void resumeWithOtherHyperparametersIsAUsageErrorNamingEveryChangedKey() throws IOException {
    TrainFixture task = TrainFixture.write(dir.resolve("task"));
    Path model = dir.resolve("model");
    task.trainOk(model);
    CliRunner.Result r = task.train(model, "--resume", "--set", "enc_dim=16", "--set",
        "learning_rate=0.01");
    String err = TrainFixture.assertOneLineRefusal(ExitCodes.USAGE, r);
    assertTrue(err.contains("enc_dim 8 -> 16") && err.matches(".*learning_rate \\S+ -> 0\\.01.*")
        && err.contains("(only epochs may change)"), err);
    CliRunner.Result seed = task.train(model, "--resume", "--seed", "3");
    assertTrue(TrainFixture.assertOneLineRefusal(ExitCodes.USAGE, seed).contains("--seed 42"),
        seed.err());
  }

  @Test
  void raisingEpochsContinuesAFinishedRunToTheModelOfALongerRun() throws IOException {
    TrainFixture task = TrainFixture.write(dir.resolve("task"));
    Path longer = dir.resolve("longer");
    task.trainOk(longer, "--set", "epochs=4");
    Path model = dir.resolve("model");
    task.trainOk(model);
    task.trainOk(model, "--resume", "--set", "epochs=4");
    assertEquals(TrainFixture.weightsChecksum(longer), TrainFixture.weightsChecksum(model));
    CliRunner.Result fewer = task.train(model, "--resume", "--set", "epochs=3");
    assertTrue(TrainFixture.assertOneLineRefusal(ExitCodes.USAGE, fewer)
        .contains("epochs 3 is below the 4 epochs"), fewer.err());
  }

  @Test
  void resumeFromADamagedCheckpointNamesTheFileAndThatNoEarlierOneIsKept() throws IOException {
    TrainFixture task = TrainFixture.write(dir.resolve("task"));
    Path model = dir.resolve("model");
    task.trainOk(model);
    // Two epochs, numbered from 0: the last checkpoint is epoch 1's.
    Path checkpoint = model.resolve("checkpoints/epoch-0001.ckpt");
    long size = Files.size(checkpoint);
    try (FileChannel channel = FileChannel.open(checkpoint, StandardOpenOption.WRITE)) {
      channel.write(java.nio.ByteBuffer.wrap(new byte[64]), size / 2); // 64 zero bytes
    }
    CliRunner.Result corrupt = task.train(model, "--resume", "--set", "epochs=3");
    String err = TrainFixture.assertOneLineRefusal(ExitCodes.IO, corrupt);
    assertTrue(err.contains(checkpoint + ": damaged (checksum")
        && err.contains("no earlier checkpoint is kept"), err);

    try (FileChannel channel = FileChannel.open(checkpoint, StandardOpenOption.WRITE)) {
      channel.truncate(size - 1000);
    }
    CliRunner.Result truncated = task.train(model, "--resume", "--set", "epochs=3");
    err = TrainFixture.assertOneLineRefusal(ExitCodes.IO, truncated);
    assertTrue(err.contains(checkpoint + ": damaged (" + (size - 1000) + " bytes"), err);
  }

  private static String tail(Path log) {
    try {
      return TrainProcess.tail(log);
    } catch (IOException e) {
      return e.toString();
    }
  }
}
