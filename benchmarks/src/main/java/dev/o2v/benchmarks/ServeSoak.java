package dev.o2v.benchmarks;

import ai.djl.Device;
import dev.o2v.benchmarks.soak.ServeSoakRun;
import dev.o2v.benchmarks.soak.SoakConfig;
import dev.o2v.benchmarks.soak.SoakReport;
import dev.o2v.core.data.PairDataset;
import dev.o2v.core.hp.HyperparameterCodec;
import dev.o2v.core.hp.Hyperparameters;
import dev.o2v.core.synthetic.PairExample;
import dev.o2v.core.synthetic.SyntheticPairTask;
import dev.o2v.inference.InferenceRunner;
import dev.o2v.inference.serve.RunnerPredictor;
import dev.o2v.train.Trainer;
import dev.o2v.train.TrainingData;
import dev.o2v.train.TrainingOptions;
import dev.o2v.train.metrics.MetricLines;
import dev.o2v.train.model.TrainedModel;
import dev.o2v.train.progress.ProgressListener;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Soaks {@code o2v serve} in-process on loopback with valid, invalid, slow and abandoned
 * requests and prints status counts, {@code /ping} latency, heap and RSS, then PASS or FAIL.
 *
 * <p>Usage: {@code ServeSoak [--minutes 5] [--clients 16] [--model-dir DIR] [--seed 1]}; without
 * a model directory a tiny model is trained in a temporary directory first. Exits 1 on FAIL.
 */
public final class ServeSoak {

  private ServeSoak() {}

  /** Entry point. */
  public static void main(String[] args) throws Exception {
    double minutes = 5;
    int clients = 16;
    long seed = 1;
    Path modelDir = null;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--minutes" -> minutes = Double.parseDouble(args[i + 1]);
        case "--clients" -> clients = Integer.parseInt(args[i + 1]);
        case "--model-dir" -> modelDir = Path.of(args[i + 1]);
        case "--seed" -> seed = Long.parseLong(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    System.setProperty("ai.djl.pytorch.num_threads", "1");
    System.out.println("load average at start: " + loadAverage());
    if (modelDir == null) {
      modelDir = trainTinyModel(Files.createTempDirectory("o2v-soak"));
    }
    SoakConfig config = new SoakConfig(Duration.ofMillis((long) (minutes * 60_000)), clients,
        10_000_000, Duration.ofSeconds(10), seed);
    SoakReport report;
    try (TrainedModel model = TrainedModel.load(modelDir, Device.cpu())) {
      report = ServeSoakRun.run(new RunnerPredictor(new InferenceRunner(model)), config);
    }
    report.print(System.out);
    System.out.println("load average at end: " + loadAverage());
    System.exit(report.passed() ? 0 : 1);
  }

  /** One epoch of synthetic pairs into a model of vocabulary 100; returns the model directory. */
  static Path trainTinyModel(Path dir) throws IOException {
    Hyperparameters hp = HyperparameterCodec.parse(Map.of(
        "enc0_vocab_size", 100, "enc0_max_seq_len", 12, "enc0_network", "pooled_embedding",
        "enc0_token_embedding_dim", 16, "enc_dim", 16, "mlp_layers", 1, "mlp_dim", 16,
        "output_layer", "softmax", "num_classes", 2, "epochs", 1));
    SyntheticPairTask task = new SyntheticPairTask(
        new SyntheticPairTask.Config(100, 4, 8, 2, 12, 0.7, 0.5, false));
    PairDataset train = PairExample.toDataset(task.schema(), task.generate(256, new SplittableRandom(3)));
    Path modelDir = dir.resolve("model");
    PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
    new Trainer(hp, new TrainingData(train, Optional.empty(), Optional.empty()),
        new TrainingOptions(modelDir, Optional.empty(), Device.cpu(), 5, false),
        new MetricLines(quiet), ProgressListener.silent())
        .run();
    return modelDir;
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (IOException e) {
      return "unknown";
    }
  }
}
