package dev.o2v.inference;

/**
 * The answer to one {@link InferenceInstance}: the scores of a pair or the embedding of a single
 * side. Batch jobs, the HTTP server and the in-process API all answer with it.
 *
 * @param kind scores of a pair or embedding of one side
 * @param values {@code num_classes} probabilities (softmax head) or one value (regression head)
 *     for a pair; the {@code enc_dim} encoder output of a single side
 */
public record InferenceResult(Kind kind, float[] values) {

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

  /** Checks that both fields are set. */
  public InferenceResult {
    if (kind == null || values == null) {
      throw new IllegalArgumentException("a result needs its kind and its values");
    }
  }

  /** The result of a pair. */
  public static InferenceResult ofScores(float[] scores) {
    return new InferenceResult(Kind.SCORES, scores);
  }

  /** The result of a single side. */
  public static InferenceResult ofEmbeddings(float[] embeddings) {
    return new InferenceResult(Kind.EMBEDDINGS, embeddings);
  }

  /** True for a pair's scores, false for an embedding. */
  public boolean isScores() {
    return kind == Kind.SCORES;
  }

  /** The scores of a pair, or null for an embedding. */
  public float[] scores() {
    return isScores() ? values : null;
  }

  /** The embedding of a single side, or null for a pair's scores. */
  public float[] embeddings() {
    return isScores() ? null : values;
  }
}
