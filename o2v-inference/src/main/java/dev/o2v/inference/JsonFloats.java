package dev.o2v.inference;

/**
 * Formats floats for JSON and TSV output: the shortest decimal that reads back as the same float
 * ({@link Float#toString}, which ignores the locale), and {@code null} for NaN or infinity, which
 * JSON cannot express.
 */
public final class JsonFloats {

  private JsonFloats() {}

  /** Appends one value. */
  public static StringBuilder append(StringBuilder out, float value) {
    return Float.isFinite(value) ? out.append(Float.toString(value)) : out.append("null");
  }

  /** Appends {@code values} joined by {@code separator}. */
  public static StringBuilder appendAll(StringBuilder out, float[] values, char separator) {
    for (int i = 0; i < values.length; i++) {
      if (i > 0) {
        out.append(separator);
      }
      append(out, values[i]);
    }
    return out;
  }

  /** Appends {@code {"scores":[...]}} or {@code {"embeddings":[...]}}. */
  public static StringBuilder appendResult(StringBuilder out, InferenceResult result) {
    out.append(result.isScores() ? "{\"scores\":[" : "{\"embeddings\":[");
    return appendAll(out, result.values(), ',').append("]}");
  }
}
