package dev.o2v.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The MovieLens example's two hyperparameter sets, exactly as SageMaker receives them (every value
 * a string, the service's own {@code _} keys included), train on MovieLens-shaped ids, and the
 * trained model then answers {@code predict}, {@code embed} and {@code evaluate}: with enc_dim
 * 1024 and 2048 its pooled token tables are wider than the token dim key's range.
 */
@Tag("engine")
class MovieNotebookSettingsTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int USERS = 943;
  private static final int MOVIES = 1682;

  /** The regression set: rating prediction. */
  private static final String REGRESSION = """
      {"_kvstore": "device", "_num_gpus": "auto", "_num_kv_servers": "auto",
       "bucket_width": "0", "early_stopping_patience": "3", "early_stopping_tolerance": "0.01",
       "enc0_cnn_filter_width": "3", "enc0_layers": "auto", "enc0_max_seq_len": "1",
       "enc0_network": "pooled_embedding", "enc0_token_embedding_dim": "300",
       "enc0_vocab_size": "944", "enc1_layers": "auto", "enc1_max_seq_len": "1",
       "enc1_network": "pooled_embedding", "enc1_token_embedding_dim": "300",
       "enc1_vocab_size": "1684", "enc_dim": "1024", "epochs": "20", "learning_rate": "0.001",
       "mini_batch_size": "64", "mlp_activation": "tanh", "mlp_dim": "256", "mlp_layers": "1",
       "num_classes": "2", "optimizer": "adam", "output_layer": "mean_squared_error"}
      """;

  /** The classification set: is the rating above 3. */
  private static final String CLASSIFICATION = """
      {"_kvstore": "device", "_num_gpus": "auto", "_num_kv_servers": "auto",
       "bucket_width": "0", "early_stopping_patience": "3", "early_stopping_tolerance": "0.01",
       "enc0_cnn_filter_width": "3", "enc0_layers": "auto", "enc0_max_seq_len": "1",
       "enc0_network": "pooled_embedding", "enc0_token_embedding_dim": "300",
       "enc0_vocab_size": "944", "enc1_cnn_filter_width": "3", "enc1_layers": "auto",
       "enc1_max_seq_len": "1", "enc1_network": "pooled_embedding",
       "enc1_token_embedding_dim": "300", "enc1_vocab_size": "1684", "enc_dim": "2048",
       "epochs": "20", "learning_rate": "0.001", "mini_batch_size": "2048",
       "mlp_activation": "relu", "mlp_dim": "1024", "mlp_layers": "1", "num_classes": "2",
       "optimizer": "adam", "output_layer": "softmax"}
      """;

  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"regression", "classification"})
  void theNotebooksSettingsTrainAndTheModelServesPredictEmbedAndEvaluate(String task)
      throws IOException {
    boolean regression = task.equals("regression");
    int encDim = regression ? 1024 : 2048;
    Path hp = dir.resolve("hp.json");
    Files.writeString(hp, regression ? REGRESSION : CLASSIFICATION);
    Path train = ratings("train.jsonl", 256, regression, 1);
    Path validation = ratings("validation.jsonl", 64, regression, 2);
    Path model = dir.resolve("model");

    CliRunner.Result trained = CliRunner.run("train", "--hp", hp.toString(), "--data",
        train.toString(), "--validation", validation.toString(), "--model-dir", model.toString());
    assertEquals(ExitCodes.OK, trained.exitCode(), trained.err());

    Path requests = dir.resolve("requests.jsonl");
    Files.writeString(requests, "{\"in0\": [17], \"in1\": [242]}\n{\"in1\": [1682]}\n");
    CliRunner.Result predicted = CliRunner.run("predict", "--model-dir", model.toString(),
        "--data", requests.toString());
    assertEquals(ExitCodes.OK, predicted.exitCode(), predicted.err());
    List<JsonNode> answers = jsonLines(predicted.out());
    assertEquals(2, answers.size(), predicted.out());
    assertEquals(regression ? 1 : 2, answers.get(0).get("scores").size(), predicted.out());
    assertEquals(encDim, answers.get(1).get("embeddings").size(), "an in1-only line embeds");

    CliRunner.Result embedded = CliRunner.run("embed", "--model-dir", model.toString(),
        "--data", requests.toString(), "--side", "in1");
    assertEquals(ExitCodes.OK, embedded.exitCode(), embedded.err());
    for (JsonNode line : jsonLines(embedded.out())) {
      assertEquals(encDim, line.get("embeddings").size(), embedded.out());
    }

    CliRunner.Result evaluated = CliRunner.run("evaluate", "--model-dir", model.toString(),
        "--data", validation.toString());
    assertEquals(ExitCodes.OK, evaluated.exitCode(), evaluated.err());
  }

  /** MovieLens-shaped records: one user id, one movie id, a rating 1-5 or its "above 3" class. */
  private Path ratings(String name, int count, boolean regression, long seed) throws IOException {
    SplittableRandom random = new SplittableRandom(seed);
    StringBuilder lines = new StringBuilder();
    for (int i = 0; i < count; i++) {
      int rating = 1 + random.nextInt(5);
      lines.append("{\"label\": ").append(regression ? rating : rating > 3 ? 1 : 0)
          .append(", \"in0\": [").append(1 + random.nextInt(USERS))
          .append("], \"in1\": [").append(1 + random.nextInt(MOVIES)).append("]}\n");
    }
    Path file = dir.resolve(name);
    Files.writeString(file, lines);
    return file;
  }

  private static List<JsonNode> jsonLines(String text) throws IOException {
    List<JsonNode> nodes = new ArrayList<>();
    for (String line : text.lines().toList()) {
      nodes.add(JSON.readTree(line));
    }
    return nodes;
  }
}
