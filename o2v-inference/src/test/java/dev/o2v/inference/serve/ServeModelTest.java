package dev.o2v.inference.serve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.o2v.inference.InferenceInstance;
import dev.o2v.inference.InferenceRunner;
import dev.o2v.train.model.TrainedModel;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real trained model behind the server: answers match the runner's own. */
@Tag("engine")
class ServeModelTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir static Path dir;
  private static TrainedModel model;
  private static InferenceRunner runner;
  private static InferenceServer server;
  private static HttpTestClient http;

  @BeforeAll
  static void start() throws Exception {
    model = TrainedModel.load(TinyModel.train(dir), Device.cpu());
    runner = new InferenceRunner(model);
    server = InferenceServer.start(new RunnerPredictor(runner), ServeOptions.loopback());
    http = new HttpTestClient(server.uri());
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
    if (model != null) {
      model.close();
    }
  }

  private static float[] floats(JsonNode array) {
    float[] out = new float[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = array.get(i).floatValue();
    }
    return out;
  }

  @Test
  void pairScoresAreProbabilitiesEqualToTheRunners() throws Exception {
    HttpResponse<String> response =
        http.json("{\"instances\": [{\"in0\": [1, 2, 3], \"in1\": [4, 59]}]}");
    assertEquals(200, response.statusCode(), response.body());
    float[] scores = floats(JSON.readTree(response.body()).at("/predictions/0/scores"));
    assertEquals(TinyModel.CLASSES, scores.length, response.body());
    assertEquals(1.0, scores[0] + scores[1], 1e-5, response.body());
    float[] direct = runner.infer(
        List.of(InferenceInstance.pair(new int[] {1, 2, 3}, new int[] {4, 59}))).get(0).scores();
    assertArrayEquals(direct, scores, 1e-6f, response.body());
  }

  @Test
  void emptyAndAllZeroSidesAreAnsweredFromTheZeroEncoding() throws Exception {
    HttpResponse<String> response =
        http.json("{\"instances\": [{\"in0\": []}, {\"in1\": [0, 0]},"
            + " {\"in0\": [], \"in1\": [4, 0]}, {\"in0\": [1, 2]}]}");
    assertEquals(200, response.statusCode(), response.body());
    JsonNode predictions = JSON.readTree(response.body()).get("predictions");
    for (int i = 0; i < 2; i++) {
      float[] embedding = floats(predictions.get(i).get("embeddings"));
      assertArrayEquals(new float[TinyModel.ENC_DIM], embedding, 0f, response.body());
    }
    float[] scores = floats(predictions.get(2).get("scores"));
    float[] direct = runner.infer(
        List.of(InferenceInstance.pair(new int[] {0}, new int[] {4}))).get(0).scores();
    assertArrayEquals(direct, scores, 1e-6f, "scores of ([], [4, 0]) = scores of ([0], [4])");
    assertEquals(1.0, scores[0] + scores[1], 1e-5, response.body());
    float[] real = floats(predictions.get(3).get("embeddings"));
    assertTrue(Math.abs(real[0]) + Math.abs(real[1]) + Math.abs(real[2]) > 0, response.body());
  }

  @Test
  void embeddingsOverJsonLinesHaveEncDimValues() throws Exception {
    HttpResponse<String> response = http.invoke("application/jsonlines", null,
        "{\"in0\": [5, 6]}\n{\"in1\": [7]}\n");
    assertEquals(200, response.statusCode(), response.body());
    String[] lines = response.body().split("\n");
    assertEquals(2, lines.length, response.body());
    for (String line : lines) {
      assertEquals(TinyModel.ENC_DIM, JSON.readTree(line).get("embeddings").size(), line);
    }
    float[] direct = runner.infer(List.of(InferenceInstance.single(1, new int[] {7})))
        .get(0).embeddings();
    assertArrayEquals(direct, floats(JSON.readTree(lines[1]).get("embeddings")), 1e-6f);
  }

  @Test
  void inferMaxSeqlensCutsSequencesBeforeEncoding() throws Exception {
    HttpResponse<String> cut = http.invoke("application/json; infer_max_seqlens=2,3", null,
        "{\"instances\": [{\"in0\": [10, 11, 12, 13, 14, 15]}]}");
    HttpResponse<String> shortOne = http.json("{\"instances\": [{\"in0\": [10, 11]}]}");
    HttpResponse<String> whole =
        http.json("{\"instances\": [{\"in0\": [10, 11, 12, 13, 14, 15]}]}");
    float[] cutValues = floats(JSON.readTree(cut.body()).at("/predictions/0/embeddings"));
    assertArrayEquals(floats(JSON.readTree(shortOne.body()).at("/predictions/0/embeddings")),
        cutValues, 1e-6f, cut.body());
    float[] wholeValues = floats(JSON.readTree(whole.body()).at("/predictions/0/embeddings"));
    assertTrue(!java.util.Arrays.equals(wholeValues, cutValues), "truncation changed nothing");
  }

  @Test
  void idOutsideTheModelVocabularyIsABadRequest() {
    HttpResponse<String> response =
        http.json("{\"instances\": [{\"in0\": [1]}, {\"in0\": [1], \"in1\": [2, 60]}]}");
    assertEquals(400, response.statusCode(), response.body());
    assertEquals("{\"error\":\"instances[1].in1[1]: id 60 is outside the vocabulary [0, 60)\"}\n",
        response.body());
  }
}
