package dev.o2v.core.inference;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Writes predictions as {@code {"predictions": [{"scores": [...]}, ...]}} or as one {@code
 * {"scores": [...]}} / {@code {"embeddings": [...]}} object per line; thread-safe.
 */
public final class InferenceResponseEncoder {

  private static final JsonFactory FACTORY = new JsonFactory();

  private InferenceResponseEncoder() {}

  /** The UTF-8 body for {@code predictions} in {@code format}. */
  public static byte[] encode(List<Prediction> predictions, InferenceFormat format) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(64 + predictions.size() * 128);
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      // JSON Lines objects are separated by our newlines only, not Jackson's default space.
      g.setRootValueSeparator(null);
      if (format == InferenceFormat.JSON) {
        g.writeStartObject();
        g.writeArrayFieldStart("predictions");
        for (Prediction prediction : predictions) {
          writePrediction(g, prediction);
        }
        g.writeEndArray();
        g.writeEndObject();
      } else {
        for (Prediction prediction : predictions) {
          writePrediction(g, prediction);
          g.writeRaw('\n');
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("writing to memory failed", e);
    }
    return out.toByteArray();
  }

  private static void writePrediction(JsonGenerator g, Prediction prediction) throws IOException {
    g.writeStartObject();
    g.writeArrayFieldStart(prediction.kind().field());
    for (float v : prediction.values()) {
      g.writeNumber(v);
    }
    g.writeEndArray();
    g.writeEndObject();
  }
}
