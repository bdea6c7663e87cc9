package dev.o2v.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import dev.o2v.core.data.PairDataset;
import dev.o2v.core.hp.HyperparameterCodec;
import dev.o2v.core.hp.Hyperparameters;
import dev.o2v.train.metrics.MetricLines;
import dev.o2v.train.model.TrainedModel;
import dev.o2v.train.progress.ProgressListener;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run that crashes after some epochs and is resumed from its checkpoint ends with the weights
 * and metrics of the run that never stopped.
 */
@Tag("engine")
class TrainerResumeTest {

  static final String HP =
      "{\"enc0_vocab_size\": 40, \"enc0_max_seq_len\": 6, \"enc0_network\": \"%s\","
          + " \"enc0_layers\": 1, \"enc0_token_embedding_dim\": 8, \"enc_dim\": 8,"
          + " \"mlp_layers\": 1, \"mlp_dim\": 8, \"dropout\": 0.2, \"mini_batch_size\": 16,"
          + " \"negative_sampling_rate\": 1, \"optimizer\": \"%s\", \"learning_rate\": 0.01,"
          + " \"epochs\": 4, \"early_stopping_patience\": 5}";

  @TempDir Path dir;

  /** Thrown by the listener to stop a run the way a crash would. */
  static final class Crash extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Crash() {
      super("simulated crash");
    }
  }

  @Test
  void aRunResumedAfterACrashEndsWithTheUninterruptedWeightsAndMetrics() throws IOException {
    for (String[] setting : new String[][] {{"hcnn", "adam"}, {"bilstm", "rmsprop"}}) {
      Hyperparameters hp =
          HyperparameterCodec.parseJson(String.format(Locale.ROOT, HP, setting[0], setting[1]));
      TrainingData data = data(hp);
      Path reference = dir.resolve(setting[0] + "-reference");
      String expectedMetrics = train(hp, data, reference, false, ProgressListener.silent());

      Path resumed = dir.resolve(setting[0] + "-resumed");
      assertThrows(Crash.class, () -> train(hp, data, resumed, false, crashAtEpoch(2)));
      // What a kill during a checkpoint write leaves behind.
      Path stale = resumed.resolve("checkpoints").resolve(".epoch-0002.ckpt.4711.tmp");
      Files.write(stale, new byte[1000]);
      String resumedMetrics = train(hp, data, resumed, true, ProgressListener.silent());
      assertFalse(Files.exists(stale), "the partial checkpoint of the killed run is deleted");

      assertEquals(tail(expectedMetrics, "epoch=2"), tail(resumedMetrics, "epoch=2"),
          setting[0] + ": metrics of the epochs after the crash");
      assertSameWeights(reference, resumed, setting[0]);
    }
  }

  static ProgressListener crashAtEpoch(int crashEpoch) {
    return new ProgressListener() {
      @Override
      public void epochStarted(int epoch, int totalEpochs, long totalRecords) {
        if (epoch == crashEpoch) {
          throw new Crash();
        }
      }

      @Override
      public void batchDone(long recordsDone, double meanLoss) {}

      @Override
      public void epochFinished() {}
    };
  }

  /** Trains into {@code modelDir}; returns the metric lines it printed. */
  static String train(Hyperparameters hp, TrainingData data, Path modelDir, boolean resume,
      ProgressListener progress) throws IOException {
    ByteArrayOutputStream metrics = new ByteArrayOutputStream();
    TrainingOptions options =
        new TrainingOptions(modelDir, Optional.empty(), Device.cpu(), 5, resume);
    try (PrintStream out = new PrintStream(metrics, true, StandardCharsets.UTF_8)) {
      new Trainer(hp, data, options, new MetricLines(out), progress).run();
    }
    return metrics.toString(StandardCharsets.UTF_8);
  }

  static TrainingData data(Hyperparameters hp) {
    PairDataset train = ValidHyperparameterFuzzTest.randomData(hp, 96, new SplittableRandom(1));
    PairDataset validation =
        ValidHyperparameterFuzzTest.randomData(hp, 32, new SplittableRandom(2));
    return new TrainingData(train, Optional.of(validation), Optional.empty());
  }

  /** The metric lines from the first one containing {@code marker}, without throughput. */
  private static String tail(String metrics, String marker) {
    String from = metrics.substring(Math.max(0, metrics.indexOf(marker)));
    return String.join("\n", from.lines().filter(l -> !l.contains("throughput")).toList());
  }

  static void assertSameWeights(Path expectedDir, Path actualDir, String what)
      throws IOException {
    try (TrainedModel expected = TrainedModel.load(expectedDir, Device.cpu());
        TrainedModel actual = TrainedModel.load(actualDir, Device.cpu())) {
      List<Pair<String, Parameter>> a = expected.block().getParameters().stream().toList();
      List<Pair<String, Parameter>> b = actual.block().getParameters().stream().toList();
      assertEquals(a.size(), b.size(), what + ": parameter count");
      for (int i = 0; i < a.size(); i++) {
        NDArray x = a.get(i).getValue().getArray();
        NDArray y = b.get(i).getValue().getArray();
        float diff = x.sub(y).abs().max().getFloat();
        String name = a.get(i).getKey();
        assertTrue(diff <= 1e-5f * (1f + x.abs().max().getFloat()),
            () -> String.format(Locale.ROOT, "%s: %s differs by %g", what, name, diff));
      }
    }
  }
}
