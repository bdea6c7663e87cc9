package dev.o2v.train;

import ai.djl.Device;
import dev.o2v.core.data.DataSchema;
import dev.o2v.core.data.PairDataset;
import dev.o2v.core.hp.HyperparameterCodec;
import dev.o2v.core.hp.Hyperparameters;
import dev.o2v.core.synthetic.PairExample;
import dev.o2v.core.synthetic.SyntheticPairTask;
import dev.o2v.train.metrics.MetricLines;
import dev.o2v.train.progress.ProgressListener;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/** Small hyperparameters, generated data and a one-call training run for trainer tests. */
final class TrainingFixtures {

  /** The topic task with a 300-token vocabulary, small enough to learn from a few thousand rows. */
  static final SyntheticPairTask TASK =
      new SyntheticPairTask(new SyntheticPairTask.Config(300, 10, 50, 3, 20, 0.7, 0.5, false));

  private TrainingFixtures() {}

  /** Tiny classification settings for the topic task, overridden by {@code keyValues}. */
  static Hyperparameters hp(String... keyValues) {
    Map<String, Object> raw = new HashMap<>();
    raw.put("enc0_vocab_size", "300");
    raw.put("enc0_max_seq_len", "20");
    raw.put("enc0_network", "pooled_embedding");
    raw.put("enc_dim", "16");
    raw.put("mlp_layers", "1");
    raw.put("mlp_dim", "16");
    raw.put("mlp_activation", "relu");
    raw.put("mini_batch_size", "64");
    raw.put("epochs", "3");
    raw.put("learning_rate", "0.003");
    for (int i = 0; i < keyValues.length; i += 2) {
      raw.put(keyValues[i], keyValues[i + 1]);
    }
    return HyperparameterCodec.parse(raw);
  }

  static PairDataset dataset(Hyperparameters hp, List<PairExample> examples) {
    return PairExample.toDataset(DataSchema.forTraining(hp), examples);
  }

  static PairDataset topicData(Hyperparameters hp, int records, long seed) {
    return dataset(hp, TASK.generate(records, new SplittableRandom(seed)));
  }

  /** What a run printed on its metric stream, and its history. */
  record Run(TrainingHistory history, String metricLines) {}

  static Run train(
      Hyperparameters hp, TrainingData data, Path modelDir, boolean resume, ProgressListener p)
      throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    TrainingOptions options =
        new TrainingOptions(modelDir, Optional.empty(), Device.cpu(), 7, resume);
    TrainingHistory history = new Trainer(hp, data, options, new MetricLines(out), p).run();
    return new Run(history, bytes.toString(StandardCharsets.UTF_8));
  }

  static Run train(Hyperparameters hp, TrainingData data, Path modelDir) throws IOException {
    return train(hp, data, modelDir, false, ProgressListener.silent());
  }
}
