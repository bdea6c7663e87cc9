package dev.o2v.train.inference;

import dev.o2v.core.inference.InferenceInstance;

/**
 * The answer to one {@link InferenceInstance}: exactly one of {@code scores} and {@code embeddings}
 * is non-null.
 *
 * @param scores {@code num_classes} probabilities (softmax head) or one value (regression head)
 *     for a pair; null for a single side
 * @param embeddings the {@code enc_dim} encoder output of the single side; null for a pair
 */
public record InferenceResult(float[] scores, float[] embeddings) {

  /** Checks that exactly one field is set. */
  public InferenceResult {
    if ((scores == null) == (embeddings == null)) {
      throw new IllegalArgumentException("exactly one of scores and embeddings must be set");
    }
  }

  /** The result of a pair. */
  public static InferenceResult ofScores(float[] scores) {
    return new InferenceResult(scores, null);
  }

  /** The result of a single side. */
  public static InferenceResult ofEmbeddings(float[] embeddings) {
    return new InferenceResult(null, embeddings);
  }

  /** True for a pair's scores, false for an embedding. */
  public boolean isScores() {
    return scores != null;
  }

  /** The values, whichever kind they are. */
  public float[] values() {
    return scores != null ? scores : embeddings;
  }
}
