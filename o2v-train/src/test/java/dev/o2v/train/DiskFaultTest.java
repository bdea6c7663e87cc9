package dev.o2v.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.o2v.core.hp.HyperparameterCodec;
import dev.o2v.core.hp.Hyperparameters;
import dev.o2v.train.model.ModelFormatException;
import dev.o2v.train.model.TrainedModel;
import dev.o2v.train.model.WriteFaults;
import dev.o2v.train.progress.ProgressListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model directory that cannot be written fails at once with an I/O error; a disk that fills up
 * while a checkpoint or the model is written keeps the last complete checkpoint, and the run
 * resumes from it to the uninterrupted result once there is space again.
 */
@Tag("engine")
class DiskFaultTest {

  @TempDir Path dir;

  @AfterEach
  void restoreWrites() {
    WriteFaults.clear();
  }

  @Test
  void aModelDirectoryUnderARegularFileFailsBeforeTheFirstEpoch() throws IOException {
    Hyperparameters hp = hyperparameters();
    Path file = Files.writeString(dir.resolve("somefile"), "not a directory");
    AtomicInteger epochs = new AtomicInteger();
    ProgressListener counting = new ProgressListener() {
      @Override
      public void epochStarted(int epoch, int totalEpochs, long totalRecords) {
        epochs.incrementAndGet();
      }

      @Override
      public void batchDone(long recordsDone, double meanLoss) {}

      @Override
      public void epochFinished() {}
    };
    IOException e = assertThrows(IOException.class, () -> TrainerResumeTest.train(
        hp, TrainerResumeTest.data(hp), file.resolve("model"), false, counting));
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    assertEquals(0, epochs.get(), "epochs trained before failing");
  }

  @Test
  void aFullDiskWhileWritingKeepsTheLastCheckpointAndResumeFinishesTheRun() throws IOException {
    Hyperparameters hp = hyperparameters();
    TrainingData data = TrainerResumeTest.data(hp);
    Path reference = dir.resolve("reference");
    String expected = TrainerResumeTest.train(hp, data, reference, false, silent());

    AtomicInteger latestWrites = new AtomicInteger();
    Object[][] faults = {
      {"the epoch 2 checkpoint", (Predicate<String>) "epoch-0002.ckpt"::equals, 1},
      {"the switch to epoch 2", (Predicate<String>) n -> n.equals("latest.json")
          && latestWrites.incrementAndGet() == 3, 1},
      {"the model manifest", (Predicate<String>) "manifest.json"::equals, 3},
    };
    for (Object[] fault : faults) {
      String what = (String) fault[0];
      @SuppressWarnings("unchecked")
      Predicate<String> failing = (Predicate<String>) fault[1];
      int lastGoodEpoch = (Integer) fault[2];
      Path model = dir.resolve("model-" + what.replace(' ', '-'));
      WriteFaults.diskFullFor(failing, 10);
      IOException e = assertThrows(IOException.class,
          () -> TrainerResumeTest.train(hp, data, model, false, silent()), what);
      assertTrue(e.getMessage().startsWith("cannot write " + model)
              && e.getMessage().endsWith("No space left on device"),
          () -> what + ": " + e.getMessage());
      assertEquals(lastGoodEpoch, latestEpoch(model), what + ": epoch of the last checkpoint");
      assertFalse(hasPartialFile(model.resolve("checkpoints")), what + ": partial files left");
      assertThrows(ModelFormatException.class, () -> TrainedModel.load(model, Device.cpu()),
          what + ": an unfinished model directory is rejected as a whole");

      WriteFaults.clear();
      String resumed = TrainerResumeTest.train(hp, data, model, true, silent());
      assertEquals(withoutThroughput(expected, lastGoodEpoch + 1),
          withoutThroughput(resumed, lastGoodEpoch + 1), what + ": metrics after resuming");
      TrainerResumeTest.assertSameWeights(reference, model, what);
    }
  }

  private static Hyperparameters hyperparameters() {
    return HyperparameterCodec.parseJson(String.format(Locale.ROOT, TrainerResumeTest.HP,
        "pooled_embedding", "adagrad"));
  }

  private static ProgressListener silent() {
    return ProgressListener.silent();
  }

  private static int latestEpoch(Path model) throws IOException {
    return new ObjectMapper()
        .readTree(Files.readAllBytes(model.resolve("checkpoints").resolve("latest.json")))
        .path("epoch").asInt();
  }

  private static boolean hasPartialFile(Path directory) throws IOException {
    try (Stream<Path> files = Files.list(directory)) {
      return files.anyMatch(f -> f.getFileName().toString().endsWith(".tmp"));
    }
  }

  /** Metric lines from epoch {@code from} on, without throughput (it differs run to run). */
  private static String withoutThroughput(String metrics, int from) {
    int at = metrics.indexOf("epoch=" + from + ",");
    String tail = at < 0 ? "" : metrics.substring(at);
    return String.join("\n", tail.lines().filter(l -> !l.contains("throughput")).toList());
  }
}
