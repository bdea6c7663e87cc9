package dev.o2v.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class HttpAnswerBodyTest {

  private final List<InferenceResult> predictions = List.of(
      InferenceResult.ofScores(new float[] {0.25f, 0.75f}),
      InferenceResult.ofEmbeddings(new float[] {-1.5f}));

  @Test
  void jsonWrapsPredictionsInOneObject() {
    String body = new String(
        ResultWriter.body(predictions, InferenceFormat.JSON),
        StandardCharsets.UTF_8);
    assertEquals("{\"predictions\":[{\"scores\":[0.25,0.75]},{\"embeddings\":[-1.5]}]}", body);
  }

  @Test
  void jsonLinesWritesOneObjectPerLine() {
    String body = new String(
        ResultWriter.body(predictions, InferenceFormat.JSONLINES),
        StandardCharsets.UTF_8);
    assertEquals("{\"scores\":[0.25,0.75]}\n{\"embeddings\":[-1.5]}\n", body);
  }
}
