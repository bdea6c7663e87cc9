package dev.o2v.inference;

import ai.djl.Device;
import dev.o2v.core.data.Channel;
import dev.o2v.core.data.DataSchema;
import dev.o2v.core.data.JsonlRecordReader;
import dev.o2v.core.data.PairDataset;
import dev.o2v.core.hp.HyperparameterCodec;
import dev.o2v.core.hp.Hyperparameters;
import dev.o2v.core.synthetic.JsonlWriter;
import dev.o2v.core.synthetic.PairExample;
import dev.o2v.train.Trainer;
import dev.o2v.train.TrainingData;
import dev.o2v.train.TrainingOptions;
import dev.o2v.train.metrics.MetricLines;
import dev.o2v.train.progress.ProgressListener;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/** Trains tiny models for inference tests: vocabularies 40 and 30, enc_dim 8, one epoch. */
final class TinyModels {

  static final int VOCAB0 = 40;
  static final int VOCAB1 = 30;
  static final int MAX_LEN0 = 10;
  static final int MAX_LEN1 = 8;
  static final int ENC_DIM = 8;
  static final int CLASSES = 3;

  private static Path shared;

  private TinyModels() {}

  /** One softmax model (bilstm / hcnn) trained once per test JVM and shared by the tests. */
  static synchronized Path shared() throws IOException {
    if (shared == null) {
      Path dir = Files.createTempDirectory("o2v-tiny-model");
      Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir)));
      shared = train(dir, hp("bilstm", "hcnn", "softmax"));
    }
    return shared;
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // Best effort: a leftover temp directory is harmless.
    }
  }

  /** Hyperparameters of a tiny model with the given encoder networks and output layer. */
  static Map<String, Object> hp(String network0, String network1, String outputLayer) {
    Map<String, Object> hp = new LinkedHashMap<>();
    hp.put("enc0_vocab_size", VOCAB0);
    hp.put("enc1_vocab_size", VOCAB1);
    hp.put("enc0_max_seq_len", MAX_LEN0);
    hp.put("enc1_max_seq_len", MAX_LEN1);
    hp.put("enc0_network", network0);
    hp.put("enc1_network", network1);
    hp.put("enc0_token_embedding_dim", 8);
    hp.put("enc1_token_embedding_dim", 8);
    hp.put("enc_dim", ENC_DIM);
    hp.put("mlp_layers", 1);
    hp.put("mlp_dim", 8);
    hp.put("output_layer", outputLayer);
    if (outputLayer.equals("softmax")) {
      hp.put("num_classes", CLASSES);
    }
    hp.put("mini_batch_size", 32);
    hp.put("epochs", 1);
    return hp;
  }

  /** Trains a model on 96 random pairs into {@code modelDir}. */
  static Path train(Path workDir, Map<String, Object> rawHp) throws IOException {
    Hyperparameters hp = HyperparameterCodec.parse(rawHp);
    boolean softmax = hp.outputLayer().key().equals("softmax");
    SplittableRandom rng = new SplittableRandom(7);
    List<PairExample> examples = new ArrayList<>();
    for (int i = 0; i < 96; i++) {
      double label = softmax ? rng.nextInt(CLASSES) : rng.nextDouble();
      examples.add(new PairExample(randomIds(rng, VOCAB0, 12), randomIds(rng, VOCAB1, 10), label));
    }
    Path data = workDir.resolve("train.jsonl");
    JsonlWriter.writeAll(data, examples, softmax);
    PairDataset train = new JsonlRecordReader(DataSchema.forTraining(hp)).load(Channel.of(data));
    Path modelDir = workDir.resolve("model");
    TrainingOptions options =
        new TrainingOptions(modelDir, Optional.empty(), Device.cpu(), 11, false);
    PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
    new Trainer(
            hp,
            new TrainingData(train, Optional.empty(), Optional.empty()),
            options,
            new MetricLines(quiet),
            ProgressListener.silent())
        .run();
    return modelDir;
  }

  static int[] randomIds(SplittableRandom rng, int vocab, int maxLength) {
    int[] ids = new int[1 + rng.nextInt(maxLength)];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = rng.nextInt(vocab);
    }
    return ids;
  }
}
