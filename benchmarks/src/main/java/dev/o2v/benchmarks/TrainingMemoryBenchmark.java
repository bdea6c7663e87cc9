package dev.o2v.benchmarks;

import ai.djl.Device;
import dev.o2v.core.data.DataSchema;
import dev.o2v.core.data.PairDataset;
import dev.o2v.core.hp.HyperparameterCodec;
import dev.o2v.core.hp.Hyperparameters;
import dev.o2v.core.io.DirectBuffer;
import dev.o2v.core.synthetic.PairExample;
import dev.o2v.core.synthetic.SyntheticPairTask;
import dev.o2v.train.Trainer;
import dev.o2v.train.TrainingData;
import dev.o2v.train.TrainingOptions;
import dev.o2v.train.metrics.MetricLines;
import dev.o2v.train.progress.ProgressListener;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Native memory across epochs: trains 20 epochs (no early stopping) and prints the process RSS
 * after each one. A leak of per-batch tensors shows as RSS growing epoch after epoch.
 *
 * <p>Usage: {@code TrainingMemoryBenchmark [NETWORK [EPOCHS [STORAGE]]]} (defaults bilstm, 20,
 * dense; STORAGE is the {@code token_embedding_storage_type}).
 */
public final class TrainingMemoryBenchmark {

  private TrainingMemoryBenchmark() {}

  public static void main(String[] args) throws Exception {
    String network = args.length > 0 ? args[0] : "bilstm";
    int epochs = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    String storage = args.length > 2 ? args[2] : "dense";
    Map<String, Object> raw =
        new java.util.HashMap<>(
            Map.of(
                "enc0_vocab_size", "300",
                "enc0_max_seq_len", "20",
                "enc0_network", network,
                "enc_dim", "64",
                "enc0_token_embedding_dim", "64",
                "mlp_dim", "64",
                "epochs", Integer.toString(epochs),
                "early_stopping_patience", "5",
                "early_stopping_tolerance", "0.000001",
                "dropout", "0.1"));
    raw.put("token_embedding_storage_type", storage);
    Hyperparameters hp = HyperparameterCodec.parse(raw);
    SyntheticPairTask task =
        new SyntheticPairTask(new SyntheticPairTask.Config(300, 10, 50, 3, 20, 0.7, 0.5, false));
    PairDataset train =
        PairExample.toDataset(
            DataSchema.forTraining(hp), task.generate(4000, new SplittableRandom(3)));
    List<Long> rss = new ArrayList<>();
    List<Long> direct = new ArrayList<>();
    ProgressListener sampler =
        new ProgressListener() {
          @Override
          public void epochStarted(int epoch, int totalEpochs, long totalRecords) {}

          @Override
          public void batchDone(long recordsDone, double meanLoss) {}

          @Override
          public void epochFinished() {
            rss.add(ProcessMemory.rssBytes());
            direct.add(DirectBuffer.bytesInUse());
          }
        };
    Path modelDir = Files.createTempDirectory("o2v-memory");
    TrainingOptions options =
        new TrainingOptions(modelDir, Optional.empty(), Device.cpu(), 1, false);
    PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
    try {
      new Trainer(hp, new TrainingData(train, Optional.empty(), Optional.empty()),
              options, new MetricLines(quiet), sampler)
          .run();
    } finally {
      FileTrees.delete(modelDir);
    }
    for (int i = 0; i < rss.size(); i++) {
      System.out.printf(Locale.ROOT, "epoch %2d  RSS %.1f MB  direct buffers %.1f MB%n", i + 1,
          rss.get(i) / 1e6, direct.get(i) / 1e6);
    }
    if (rss.size() >= 4) {
      double early = rss.get(2) / 1e6;
      double last = rss.get(rss.size() - 1) / 1e6;
      System.out.printf(
          Locale.ROOT,
          "%s, %s tables: RSS after epoch 3 %.1f MB, after epoch %d %.1f MB, growth %.1f MB"
              + " (%.2f MB/epoch)%n",
          network, storage, early, rss.size(), last, last - early,
          (last - early) / (rss.size() - 3));
    }
    System.out.println(
        MachineInfo.current() + ", peak RSS " + ProcessMemory.peakRssBytes() / 1_000_000 + " MB");
  }
}
