package dev.o2v.inference;

/**
 * The model's answer for one instance.
 *
 * @param kind scores of a pair or embedding of one side
 * @param values {@code num_classes} probabilities or one regression value (scores), or {@code
 *     enc_dim} values (embeddings)
 */
public record Prediction(Kind kind, float[] values) {

  /** What {@link #values} holds; the name is the JSON field of the answer. */
  public enum Kind {
    /** Class probabilities or the regression value of a pair. */
    SCORES("scores"),
    /** The encoder output of a single side. */
    EMBEDDINGS("embeddings");

    private final String field;

    Kind(String field) {
      this.field = field;
    }

    /** The JSON field name: {@code scores} or {@code embeddings}. */
    public String field() {
      return field;
    }
  }

  /** Scores of a pair. */
  public static Prediction scores(float[] values) {
    return new Prediction(Kind.SCORES, values);
  }

  /** Embedding of one side. */
  public static Prediction embeddings(float[] values) {
    return new Prediction(Kind.EMBEDDINGS, values);
  }
}
