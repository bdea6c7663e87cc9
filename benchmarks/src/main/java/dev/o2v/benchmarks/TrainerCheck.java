package dev.o2v.benchmarks;

import ai.djl.Device;
import dev.o2v.core.data.PairDataset;
import dev.o2v.core.hp.Hyperparameters;
import dev.o2v.train.EpochRecord;
import dev.o2v.train.Trainer;
import dev.o2v.train.TrainingData;
import dev.o2v.train.TrainingHistory;
import dev.o2v.train.TrainingOptions;
import dev.o2v.train.metrics.MetricLines;
import dev.o2v.train.progress.ProgressListener;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs the real {@link Trainer} for a few epochs and reports the training throughput it prints
 * ({@code #throughput_metric}), to confirm that the harness's step loop measures what users get.
 */
public final class TrainerCheck {

  private TrainerCheck() {}

  /**
   * Trains {@code epochs} epochs of {@code data} and returns the median throughput of every epoch
   * after the first (which includes warm-up).
   */
  public static double medianThroughput(Workload workload, PairDataset data, Device device,
      int epochs, long seed) throws IOException {
    Map<String, Object> raw = new java.util.LinkedHashMap<>(workload.hyperparameterMap());
    raw.put("epochs", epochs);
    raw.put("early_stopping_patience", epochs);
    Hyperparameters hp = Hyperparameters.parse(raw);
    Path modelDir = Files.createTempDirectory("o2v-bench-trainer");
    try {
      ByteArrayOutputStream lines = new ByteArrayOutputStream();
      TrainingHistory history;
      try (PrintStream metrics = new PrintStream(lines, true, StandardCharsets.UTF_8)) {
        history =
            new Trainer(
                    hp,
                    new TrainingData(data, Optional.empty(), Optional.empty()),
                    new TrainingOptions(modelDir, Optional.empty(), device, seed, false),
                    new MetricLines(metrics),
                    ProgressListener.silent())
                .run();
      }
      List<EpochRecord> later = history.epochs().subList(1, history.epochs().size());
      return Stats.median(later.stream().mapToDouble(EpochRecord::throughput).toArray());
    } finally {
      FileTrees.delete(modelDir);
    }
  }
}
