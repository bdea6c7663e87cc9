package dev.o2v.inference.golden;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.o2v.core.data.Channel;
import dev.o2v.core.data.DataSchema;
import dev.o2v.core.data.JsonlRecordReader;
import dev.o2v.core.data.PairDataset;
import dev.o2v.core.hp.HyperparameterCodec;
import dev.o2v.core.hp.Hyperparameters;
import dev.o2v.core.synthetic.JsonlWriter;
import dev.o2v.core.synthetic.PairExample;
import dev.o2v.inference.InferenceInstance;
import dev.o2v.inference.InferenceResult;
import dev.o2v.inference.InferenceRunner;
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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * Makes the golden model directories under {@code src/test/resources/golden/vN/}: tiny models
 * trained by our own trainer, each with the answers the code of that time gave for a fixed set
 * of inputs ({@code expected.json}). {@link GoldenModelsTest} loads every one with today's code
 * and compares, so a change that alters what an old model directory means fails a test.
 *
 * <p>A new format version gets its directory by running, from the project root:
 *
 * <pre>
 * mvn -B -o -pl o2v-inference -am test -Dtest=GoldenModelsTest \
 *   -Dsurefire.failIfNoSpecifiedTests=false \
 *   -Do2v.golden.write=$PWD/o2v-inference/src/test/resources/golden/vN
 * </pre>
 *
 * Directories of earlier versions are never regenerated: they stand for models users already
 * have. Their answers may be recomputed, only when the engine that recorded them was wrong (the
 * bilstm answers of {@code v1} and {@code v2} were first recorded with libtorch's fused LSTM on a
 * CPU where it computes wrong states; see {@code LstmKernelChoice}): {@code
 * -Do2v.golden.recompute=$PWD/o2v-inference/src/test/resources/golden/vN} rewrites each {@code
 * expected.json} of that version from its unchanged model and inputs.
 */
public final class GoldenModels {

  /** File holding the inputs and the outputs computed when the directory was made. */
  public static final String EXPECTED = "expected.json";
  /** Sub-directory holding the model itself. */
  public static final String MODEL = "model";

  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private GoldenModels() {}

  /** The tiny models: every encoder kind, odd and even enc_dim, both heads. */
  static Map<String, Map<String, Object>> hyperparameters() {
    Map<String, Map<String, Object>> models = new LinkedHashMap<>();

    Map<String, Object> pooled = new LinkedHashMap<>();
    pooled.put("enc0_network", "pooled_embedding");
    pooled.put("enc0_vocab_size", 16);
    pooled.put("enc0_max_seq_len", 6);
    pooled.put("enc_dim", 8);
    pooled.put("mlp_layers", 1);
    pooled.put("mlp_dim", 6);
    pooled.put("output_layer", "softmax");
    pooled.put("num_classes", 3);
    pooled.put("mini_batch_size", 16);
    pooled.put("epochs", 2);
    models.put("pooled-softmax", pooled);

    Map<String, Object> mixed = new LinkedHashMap<>();
    mixed.put("enc0_network", "hcnn");
    mixed.put("enc0_vocab_size", 16);
    mixed.put("enc0_max_seq_len", 6);
    mixed.put("enc0_token_embedding_dim", 5);
    mixed.put("enc0_layers", 2);
    mixed.put("enc0_cnn_filter_width", 3);
    mixed.put("enc1_network", "bilstm");
    mixed.put("enc1_vocab_size", 12);
    mixed.put("enc1_max_seq_len", 5);
    mixed.put("enc1_token_embedding_dim", 5);
    mixed.put("enc1_layers", 1);
    mixed.put("enc_dim", 7);
    mixed.put("mlp_layers", 1);
    mixed.put("mlp_dim", 6);
    mixed.put("output_layer", "mean_squared_error");
    mixed.put("mini_batch_size", 16);
    mixed.put("epochs", 2);
    models.put("hcnn-bilstm-regression", mixed);
    return models;
  }

  /**
   * The fixed inputs: pairs and single sides, with zeros leading, embedded and trailing, zeros
   * only, and sequences cut by {@code max_seq_len}. Every id is below 12, valid for every side.
   */
  static List<InferenceInstance> inputs(boolean withEmptySides) {
    int[][] sequences = {
      {3, 9, 4}, {5, 7}, {5, 0, 7}, {0, 5, 7}, {5, 7, 0, 0}, {0}, {0, 0, 0},
      {1, 2, 3, 4, 5, 6, 0, 8}, {1, 2, 3, 4, 0, 0, 0, 7}, {11, 0, 10, 0, 9}
    };
    List<InferenceInstance> inputs = new ArrayList<>();
    for (int[] ids : sequences) {
      inputs.add(InferenceInstance.single(0, ids));
      inputs.add(InferenceInstance.single(1, ids));
    }
    for (int i = 0; i < sequences.length; i++) {
      inputs.add(InferenceInstance.pair(sequences[i], sequences[(i + 3) % sequences.length]));
    }
    if (withEmptySides) {
      inputs.add(InferenceInstance.single(0, new int[0]));
      inputs.add(InferenceInstance.single(1, new int[0]));
      inputs.add(InferenceInstance.pair(new int[0], new int[] {0, 0}));
      inputs.add(InferenceInstance.pair(new int[] {3, 9}, new int[0]));
    }
    return inputs;
  }

  /**
   * Trains every golden model into {@code root/NAME/model} and writes {@code
   * root/NAME/expected.json} with the answers of today's code.
   *
   * @param withEmptySides whether the inputs include empty sides (only where the format allows
   *     them)
   */
  static void writeAll(Path root, boolean withEmptySides) throws IOException {
    for (Map.Entry<String, Map<String, Object>> e : hyperparameters().entrySet()) {
      Path dir = root.resolve(e.getKey());
      Files.createDirectories(dir);
      Path model = train(dir, e.getValue());
      writeExpected(model, dir.resolve(EXPECTED), inputs(withEmptySides));
    }
  }

  /**
   * Rewrites {@code expected.json} of every model under {@code versionDir} with today's answers for
   * the inputs it already lists; the model directories are not touched.
   */
  static void recomputeExpected(Path versionDir) throws IOException {
    try (Stream<Path> models = Files.list(versionDir)) {
      for (Path dir : (Iterable<Path>) models.filter(Files::isDirectory).sorted()::iterator) {
        List<InferenceInstance> inputs = new ArrayList<>();
        readCases(dir.resolve(EXPECTED)).forEach(c -> inputs.add(c.input()));
        writeExpected(dir.resolve(MODEL), dir.resolve(EXPECTED), inputs);
      }
    }
  }

  private static Path train(Path dir, Map<String, Object> rawHp) throws IOException {
    Hyperparameters hp = HyperparameterCodec.parse(rawHp);
    boolean softmax = hp.outputLayer().key().equals("softmax");
    SplittableRandom rng = new SplittableRandom(5);
    List<PairExample> examples = new ArrayList<>();
    for (int i = 0; i < 64; i++) {
      double label = softmax ? rng.nextInt(hp.numClasses()) : rng.nextDouble();
      examples.add(
          new PairExample(
              randomIds(rng, hp.enc0().vocabSize(), hp.enc0().maxSeqLen()),
              randomIds(rng, hp.enc1().vocabSize(), hp.enc1().maxSeqLen()),
              label));
    }
    Path work = Files.createTempDirectory("o2v-golden");
    try {
      Path data = work.resolve("train.jsonl");
      JsonlWriter.writeAll(data, examples, softmax);
      PairDataset train =
          new JsonlRecordReader(DataSchema.forTraining(hp)).load(Channel.of(data));
      Path modelDir = dir.resolve(MODEL);
      TrainingOptions options =
          new TrainingOptions(modelDir, Optional.empty(), Device.cpu(), 3, false);
      new Trainer(
              hp,
              new TrainingData(train, Optional.empty(), Optional.empty()),
              options,
              new MetricLines(new PrintStream(OutputStream.nullOutputStream())),
              ProgressListener.silent())
          .run();
      // Only the model itself is golden; the resume state is not part of the format.
      deleteTree(modelDir.resolve("checkpoints"));
      return modelDir;
    } finally {
      deleteTree(work);
    }
  }

  private static void writeExpected(Path modelDir, Path file, List<InferenceInstance> inputs)
      throws IOException {
    List<InferenceResult> results;
    try (TrainedModel model = TrainedModel.load(modelDir, Device.cpu())) {
      // One forward per record, so no answer depends on what it was batched with.
      InferenceRunner runner = new InferenceRunner(model, 1);
      results = runner.infer(inputs);
    }
    ObjectNode root = JSON.createObjectNode();
    ArrayNode cases = root.putArray("cases");
    for (int i = 0; i < inputs.size(); i++) {
      ObjectNode c = cases.addObject();
      for (int side = 0; side < 2; side++) {
        if (inputs.get(i).has(side)) {
          ArrayNode ids = c.putArray(side == 0 ? "in0" : "in1");
          for (int id : inputs.get(i).ids(side)) {
            ids.add(id);
          }
        }
      }
      ArrayNode values = c.putArray(results.get(i).isScores() ? "scores" : "embedding");
      for (float v : results.get(i).values()) {
        values.add(v);
      }
    }
    JSON.writeValue(file.toFile(), root);
  }

  /** Reads the cases of an {@code expected.json}. */
  static List<GoldenCase> readCases(Path file) throws IOException {
    JsonNode root = JSON.readTree(file.toFile());
    List<GoldenCase> cases = new ArrayList<>();
    for (JsonNode c : root.get("cases")) {
      int[] in0 = c.has("in0") ? ints(c.get("in0")) : null;
      int[] in1 = c.has("in1") ? ints(c.get("in1")) : null;
      boolean scores = c.has("scores");
      JsonNode values = scores ? c.get("scores") : c.get("embedding");
      float[] expected = new float[values.size()];
      for (int i = 0; i < expected.length; i++) {
        expected[i] = (float) values.get(i).asDouble();
      }
      cases.add(new GoldenCase(new InferenceInstance(in0, in1), scores, expected));
    }
    return cases;
  }

  private static int[] ints(JsonNode array) {
    int[] out = new int[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = array.get(i).asInt();
    }
    return out;
  }

  private static int[] randomIds(SplittableRandom rng, int vocab, int maxLength) {
    int[] ids = new int[1 + rng.nextInt(maxLength)];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = 1 + rng.nextInt(vocab - 1);
    }
    return ids;
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
        Files.delete(p);
      }
    }
  }

  /** One input with the answer recorded for it. */
  record GoldenCase(InferenceInstance input, boolean scores, float[] expected) {}
}
