package dev.o2v.inference.serve;

import ai.djl.Device;
import dev.o2v.core.data.PairDataset;
import dev.o2v.core.hp.HyperparameterCodec;
import dev.o2v.core.hp.Hyperparameters;
import dev.o2v.core.synthetic.PairExample;
import dev.o2v.core.synthetic.SyntheticPairTask;
import dev.o2v.train.Trainer;
import dev.o2v.train.TrainingData;
import dev.o2v.train.TrainingOptions;
import dev.o2v.train.metrics.MetricLines;
import dev.o2v.train.progress.ProgressListener;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/** Trains a tiny softmax model (vocabulary 60, enc_dim 8) for one epoch of synthetic pairs. */
final class TinyModel {

  static final int VOCAB = 60;
  static final int MAX_LEN = 12;
  static final int ENC_DIM = 8;
  static final int CLASSES = 2;

  private TinyModel() {}

  /** Trains into {@code dir/model} and returns that directory. */
  static Path train(Path dir) throws IOException {
    Hyperparameters hp = HyperparameterCodec.parse(Map.ofEntries(
        Map.entry("enc0_vocab_size", VOCAB),
        Map.entry("enc0_max_seq_len", MAX_LEN),
        Map.entry("enc0_network", "pooled_embedding"),
        Map.entry("enc0_token_embedding_dim", 8),
        Map.entry("enc_dim", ENC_DIM),
        Map.entry("mlp_layers", 1),
        Map.entry("mlp_dim", 8),
        Map.entry("output_layer", "softmax"),
        Map.entry("num_classes", CLASSES),
        Map.entry("mini_batch_size", 32),
        Map.entry("epochs", 1)));
    SyntheticPairTask task = new SyntheticPairTask(
        new SyntheticPairTask.Config(VOCAB, 4, 8, 2, MAX_LEN, 0.7, 0.5, false));
    PairDataset train = PairExample.toDataset(task.schema(), task.generate(128, new SplittableRandom(3)));
    Path modelDir = dir.resolve("model");
    PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
    new Trainer(hp, new TrainingData(train, Optional.empty(), Optional.empty()),
        new TrainingOptions(modelDir, Optional.empty(), Device.cpu(), 5, false),
        new MetricLines(quiet), ProgressListener.silent())
        .run();
    return modelDir;
  }
}
