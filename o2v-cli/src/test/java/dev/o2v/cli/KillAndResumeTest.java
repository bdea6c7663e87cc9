package dev.o2v.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.o2v.train.model.ModelFormatException;
import dev.o2v.train.model.TrainedModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Training killed with SIGKILL at random points — inside an epoch and in the middle of writing a
 * checkpoint — and resumed each time ends with the model of an uninterrupted run; between the
 * kills the model directory loads as a complete model or fails with ModelFormatException.
 */
@Tag("engine")
class KillAndResumeTest {

  private static final int EPOCHS = 6;
  /** A large table makes every checkpoint tens of megabytes, so writes take long enough to hit. */
  private static final int VOCAB = 30_000;
  private static final int MAX_KILLS = 4;

  @TempDir Path dir;

  @Test
  void killedRunsResumeToTheSameModelAsAnUninterruptedRun() throws Exception {
    TrainProcess.Inputs inputs = TrainProcess.writeInputs(dir, VOCAB, EPOCHS);
    Path reference = dir.resolve("reference");
    Path referenceLog = dir.resolve("reference.log");
    int code =
        TrainProcess.await(TrainProcess.start(inputs, reference, referenceLog), referenceLog);
    assertEquals(0, code, () -> "uninterrupted run failed:\n" + tail(referenceLog));

    Path model = dir.resolve("model");
    copyModelFiles(reference, model); // a complete earlier model that must never half-load
    Path log = dir.resolve("interrupted.log");
    SplittableRandom random = new SplittableRandom(11);
    int kills = 0;
    int killsMidWrite = 0;
    int killsBetweenWrites = 0;
    List<Integer> killedAt = new java.util.ArrayList<>();
    int loaded = 0;
    int rejected = 0;
    for (int attempt = 0; attempt < MAX_KILLS; attempt++) {
      Process run = attempt == 0
          ? TrainProcess.start(inputs, model, log, "--overwrite")
          : TrainProcess.start(inputs, model, log, "--resume");
      boolean killed = attempt % 2 == 0
          ? killInsideTheNextEpoch(run, model, random)
          : killWhenACheckpointIsBeingWritten(run, model);
      System.out.printf(Locale.ROOT, "attempt %d: %s at epoch %d, exit %d%n", attempt,
          killed ? "killed" : "ended", latestEpoch(model), run.exitValue());
      if (!killed) {
        assertEquals(0, run.exitValue(), () -> "run ended with an error:\n" + tail(log));
        break;
      }
      kills++;
      killedAt.add(latestEpoch(model));
      if (hasPartialFile(model.resolve("checkpoints"))) {
        killsMidWrite++;
      } else {
        killsBetweenWrites++;
      }
      try (TrainedModel loadedModel = TrainedModel.load(model, Device.cpu())) {
        loaded++;
      } catch (ModelFormatException e) {
        rejected++;
      }
    }
    code = TrainProcess.await(TrainProcess.start(inputs, model, log, "--resume"), log);
    assertEquals(0, code, () -> "final --resume failed:\n" + tail(log));
    assertFalse(hasPartialFile(model.resolve("checkpoints")), "partial files of killed runs left");

    System.out.printf(Locale.ROOT,
        "kill-and-resume: %d kills (%d during a checkpoint write, %d between writes); after a"
            + " kill the model directory loaded %d times, was rejected as incomplete %d times;"
            + " last complete epoch at each kill: %s%n",
        kills, killsMidWrite, killsBetweenWrites, loaded, rejected, killedAt);
    assertTrue(killsMidWrite >= 1, "no kill landed during a checkpoint write: " + kills);
    assertTrue(killsBetweenWrites >= 1, "no kill landed inside an epoch: " + kills);
    assertSameWeights(reference, model);
  }

  /**
   * Kills the run the moment a checkpoint's temporary file is created (file-system events, so
   * even a short write is caught before it completes); false if the run ended first.
   */
  private static boolean killWhenACheckpointIsBeingWritten(Process run, Path model)
      throws IOException, InterruptedException {
    Path checkpoints = model.resolve("checkpoints");
    while (run.isAlive() && !Files.isDirectory(checkpoints)) {
      Thread.sleep(2);
    }
    try (WatchService watcher = checkpoints.getFileSystem().newWatchService()) {
      checkpoints.register(watcher, StandardWatchEventKinds.ENTRY_CREATE);
      while (run.isAlive()) {
        WatchKey key = watcher.poll(10, TimeUnit.MILLISECONDS);
        if (key == null) {
          continue;
        }
        boolean writing = key.pollEvents().stream()
            .anyMatch(e -> e.context().toString().endsWith(".tmp"));
        key.reset();
        if (writing) {
          run.destroyForcibly().waitFor();
          return true;
        }
      }
    }
    return false;
  }

  /**
   * Waits until the run has committed its next checkpoint and kills it a random moment after,
   * while no checkpoint file is being written (that is, inside the following epoch); false if it
   * ended first.
   */
  private static boolean killInsideTheNextEpoch(Process run, Path model, SplittableRandom random)
      throws IOException, InterruptedException {
    Path checkpoints = model.resolve("checkpoints");
    int start = latestEpoch(model);
    while (run.isAlive() && latestEpoch(model) <= start) {
      Thread.sleep(2);
    }
    Thread.sleep(random.nextInt(20));
    while (run.isAlive()) {
      if (!hasPartialFile(checkpoints)) {
        run.destroyForcibly().waitFor();
        return true;
      }
      Thread.sleep(1);
    }
    return false;
  }

  private static int latestEpoch(Path model) throws IOException {
    try {
      return new ObjectMapper()
          .readTree(Files.readAllBytes(model.resolve("checkpoints").resolve("latest.json")))
          .path("epoch").asInt(-1);
    } catch (NoSuchFileException | com.fasterxml.jackson.core.JsonProcessingException e) {
      return -1;
    }
  }

  private static boolean hasPartialFile(Path directory) throws IOException {
    if (!Files.isDirectory(directory)) {
      return false;
    }
    try (Stream<Path> files = Files.list(directory)) {
      return files.anyMatch(f -> f.getFileName().toString().endsWith(".tmp"));
    } catch (NoSuchFileException e) {
      return false;
    }
  }

  private static void copyModelFiles(Path from, Path to) throws IOException {
    Files.createDirectories(to);
    try (Stream<Path> files = Files.list(from)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        if (Files.isRegularFile(file)) {
          Files.copy(file, to.resolve(file.getFileName()));
        }
      }
    }
  }

  private static void assertSameWeights(Path expectedDir, Path actualDir) throws IOException {
    try (TrainedModel expected = TrainedModel.load(expectedDir, Device.cpu());
        TrainedModel actual = TrainedModel.load(actualDir, Device.cpu())) {
      assertEquals(expected.manifest().bestEpoch(), actual.manifest().bestEpoch(), "best epoch");
      List<Pair<String, Parameter>> a = expected.block().getParameters().stream().toList();
      List<Pair<String, Parameter>> b = actual.block().getParameters().stream().toList();
      assertEquals(a.size(), b.size(), "parameter count");
      for (int i = 0; i < a.size(); i++) {
        NDArray x = a.get(i).getValue().getArray();
        NDArray y = b.get(i).getValue().getArray();
        float scale = 1f + x.abs().max().getFloat();
        float diff = x.sub(y).abs().max().getFloat();
        String name = a.get(i).getKey();
        assertTrue(diff <= 1e-5f * scale,
            () -> String.format(Locale.ROOT, "%s differs by %g after resuming", name, diff));
      }
    }
  }

  private static String tail(Path log) {
    try {
      return TrainProcess.tail(log);
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }
}
