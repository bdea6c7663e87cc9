package dev.o2v.api;

import ai.djl.Device;
import dev.o2v.core.data.Channel;
import dev.o2v.core.data.DataSchema;
import dev.o2v.core.data.JsonlRecordReader;
import dev.o2v.core.data.PairDataset;
import dev.o2v.core.hp.HyperparameterCodec;
import dev.o2v.core.hp.Hyperparameters;
import dev.o2v.core.prepare.ColumnKind;
import dev.o2v.core.prepare.TokenCounts;
import dev.o2v.core.prepare.TokenizerDescription;
import dev.o2v.core.prepare.Vocabulary;
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

/**
 * A tiny softmax model (hcnn on in0, bilstm on in1, enc_dim 8) trained for one epoch on random
 * pairs, with a word tokenizer and one vocabulary for both sides, so it reads raw text too.
 * Trained once per test JVM.
 */
public final class TinyTextModel {

  public static final List<String> WORDS =
      List.of("a", "man", "woman", "dog", "plays", "guitar", "runs", "in", "the", "park",
          "is", "cooking", "kids", "play", "yard", "slices", "onion", "sings", "loud", "cat");
  public static final int VOCAB = WORDS.size() + 1;
  public static final int ENC_DIM = 8;
  public static final int CLASSES = 3;

  private static Path shared;

  private TinyTextModel() {}

  public static synchronized Path shared() throws IOException {
    if (shared == null) {
      Path dir = Files.createTempDirectory("o2v-tiny-text-model");
      Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir)));
      shared = train(dir);
    }
    return shared;
  }

  /** Trains the model into {@code args[0]} (a new or empty directory): the model is {@code model/}. */
  public static void main(String[] args) throws IOException {
    Path modelDir = train(Files.createDirectories(Path.of(args[0])));
    System.out.println(modelDir);
  }

  public static int[] randomIds(SplittableRandom rng, int maxLength) {
    int[] ids = new int[1 + rng.nextInt(maxLength)];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = rng.nextInt(VOCAB);
    }
    return ids;
  }

  private static Path train(Path workDir) throws IOException {
    Path aux = Files.createDirectories(workDir.resolve("aux"));
    TokenCounts counts = new TokenCounts();
    counts.addAll(WORDS);
    Vocabulary.build(counts, 1, 1000).write(aux.resolve("vocab.json"));
    new TokenizerDescription(TokenizerDescription.Type.WORD, true, Vocabulary.UNKNOWN_TOKEN,
            ColumnKind.TEXT, ColumnKind.TEXT, Optional.empty())
        .write(aux.resolve(TokenizerDescription.FILE_NAME));

    Map<String, Object> raw = new LinkedHashMap<>();
    raw.put("enc0_vocab_size", VOCAB);
    raw.put("enc1_vocab_size", VOCAB);
    raw.put("enc0_vocab_file", "vocab.json");
    raw.put("enc1_vocab_file", "vocab.json");
    raw.put("enc0_max_seq_len", 10);
    raw.put("enc1_max_seq_len", 8);
    raw.put("enc0_network", "hcnn");
    raw.put("enc1_network", "bilstm");
    raw.put("enc0_token_embedding_dim", 8);
    raw.put("enc1_token_embedding_dim", 8);
    raw.put("enc_dim", ENC_DIM);
    raw.put("mlp_layers", 1);
    raw.put("mlp_dim", 8);
    raw.put("output_layer", "softmax");
    raw.put("num_classes", CLASSES);
    raw.put("mini_batch_size", 32);
    raw.put("epochs", 1);
    Hyperparameters hp = HyperparameterCodec.parse(raw);

    SplittableRandom rng = new SplittableRandom(7);
    List<PairExample> examples = new ArrayList<>();
    for (int i = 0; i < 96; i++) {
      examples.add(new PairExample(randomIds(rng, 12), randomIds(rng, 10), rng.nextInt(CLASSES)));
    }
    Path data = workDir.resolve("train.jsonl");
    JsonlWriter.writeAll(data, examples, true);
    PairDataset train = new JsonlRecordReader(DataSchema.forTraining(hp)).load(Channel.of(data));
    Path modelDir = workDir.resolve("model");
    new Trainer(
            hp,
            new TrainingData(train, Optional.empty(), Optional.empty()),
            new TrainingOptions(modelDir, Optional.of(aux), Device.cpu(), 11, false),
            new MetricLines(new PrintStream(OutputStream.nullOutputStream())),
            ProgressListener.silent())
        .run();
    return modelDir;
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // Best effort: a leftover temp directory is harmless.
    }
  }
}
