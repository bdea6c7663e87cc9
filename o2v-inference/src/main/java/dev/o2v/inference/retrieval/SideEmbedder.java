package dev.o2v.inference.retrieval;

import dev.o2v.inference.InferenceInstance;
import dev.o2v.inference.InferenceProgress;
import dev.o2v.inference.InferenceResult;
import dev.o2v.inference.InferenceRunner;
import java.util.ArrayList;
import java.util.List;

/** Embeds many sequences of one side with a model's encoder, in batches, as unit vectors. */
public final class SideEmbedder {

  private final InferenceRunner runner;
  private final int batchSize;

  /** An embedder calling {@code runner} with {@code batchSize} sequences at a time. */
  public SideEmbedder(InferenceRunner runner, int batchSize) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be >= 1, found " + batchSize);
    }
    this.runner = runner;
    this.batchSize = batchSize;
  }

  /**
   * The normalised embeddings of {@code sequences} by encoder {@code side}, row {@code i} for
   * sequence {@code i}.
   *
   * @param progress told how many sequences are done
   */
  public UnitVectors embed(List<int[]> sequences, int side, InferenceProgress progress) {
    int width = runner.embeddingWidth();
    float[] flat = new float[Math.multiplyExact(sequences.size(), width)];
    try {
      for (int from = 0; from < sequences.size(); from += batchSize) {
        int to = Math.min(sequences.size(), from + batchSize);
        List<InferenceInstance> batch = new ArrayList<>(to - from);
        for (int i = from; i < to; i++) {
          batch.add(InferenceInstance.single(side, sequences.get(i)));
        }
        List<InferenceResult> results = runner.infer(batch);
        for (int i = 0; i < results.size(); i++) {
          System.arraycopy(results.get(i).embeddings(), 0, flat, (from + i) * width, width);
        }
        progress.update(to);
      }
    } finally {
      progress.finish(sequences.size());
    }
    return UnitVectors.normalizeInPlace(flat, sequences.size(), width);
  }
}
