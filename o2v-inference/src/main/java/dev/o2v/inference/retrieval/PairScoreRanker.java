package dev.o2v.inference.retrieval;

import dev.o2v.core.hp.OutputLayer;
import dev.o2v.inference.InferenceInstance;
import dev.o2v.inference.InferenceProgress;
import dev.o2v.inference.InferenceResult;
import dev.o2v.inference.InferenceRunner;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Ranks the corpus for each query by the model's own pair score instead of cosine: the
 * probability of {@code positiveClass} for a softmax head, the predicted value for a regression
 * head. The rank rule is the cosine ranker's (1 + items scored strictly higher).
 *
 * <p>Every (query, corpus item) pair runs through the whole network, in batches, so the cost is
 * queries x corpus forward rows: meant for corpora of thousands, not millions.
 */
public final class PairScoreRanker {

  private final InferenceRunner runner;
  private final int batchSize;
  private final int positiveClass;

  /**
   * A ranker scoring {@code batchSize} pairs per runner call.
   *
   * @param positiveClass the class whose probability ranks (softmax heads; ignored otherwise)
   * @throws IllegalArgumentException when the class is outside {@code [0, num_classes)}
   */
  public PairScoreRanker(InferenceRunner runner, int batchSize, int positiveClass) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be >= 1, found " + batchSize);
    }
    boolean softmax = runner.hyperparameters().outputLayer() == OutputLayer.SOFTMAX;
    if (softmax && (positiveClass < 0 || positiveClass >= runner.scoreWidth())) {
      throw new IllegalArgumentException(String.format(Locale.ROOT,
          "the positive class must be in [0, %d), found %d", runner.scoreWidth(), positiveClass));
    }
    this.runner = runner;
    this.batchSize = batchSize;
    this.positiveClass = softmax ? positiveClass : 0;
  }

  /** The rank of each query's true match; {@code progress} counts queries. */
  public int[] ranks(RetrievalTask task, InferenceProgress progress) {
    List<int[]> corpus = task.corpus();
    int[] ranks = new int[task.queries().size()];
    float[] scores = new float[corpus.size()];
    try {
      for (int q = 0; q < ranks.length; q++) {
        int[] query = task.queries().get(q);
        for (int from = 0; from < corpus.size(); from += batchSize) {
          int to = Math.min(corpus.size(), from + batchSize);
          List<InferenceInstance> batch = new ArrayList<>(to - from);
          for (int c = from; c < to; c++) {
            batch.add(InferenceInstance.pair(query, corpus.get(c)));
          }
          List<InferenceResult> results = runner.infer(batch);
          for (int i = 0; i < results.size(); i++) {
            scores[from + i] = results.get(i).scores()[positiveClass];
          }
        }
        float truth = scores[task.match()[q]];
        int higher = 0;
        for (float s : scores) {
          if (s > truth) {
            higher++;
          }
        }
        ranks[q] = 1 + higher;
        progress.update(q + 1L);
      }
    } finally {
      progress.finish(ranks.length);
    }
    return ranks;
  }
}
