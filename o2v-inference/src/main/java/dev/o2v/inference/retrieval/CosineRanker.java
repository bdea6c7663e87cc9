package dev.o2v.inference.retrieval;

import dev.o2v.inference.InferenceProgress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The exact rank of each query's true match among all corpus rows, by cosine similarity: rank =
 * 1 + the number of corpus rows that score strictly higher than the true match (so rows that tie
 * with it, such as duplicates, never push it down).
 *
 * <p>Work is streamed in blocks of {@link #QUERY_BLOCK} queries by {@link #CORPUS_BLOCK} corpus
 * rows: besides the two embedding sets, memory holds one block of counters per thread, never the
 * query-by-corpus score matrix, so 100,000 x 100,000 runs in a few megabytes of extra memory.
 */
public final class CosineRanker {

  /** Queries scored together against one corpus block (their rows stay in cache). */
  static final int QUERY_BLOCK = 64;
  /** Corpus rows streamed past a query block at a time. */
  static final int CORPUS_BLOCK = 1024;

  private final int threads;

  /** A ranker using {@code threads} threads (at least 1). */
  public CosineRanker(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be >= 1, found " + threads);
    }
    this.threads = threads;
  }

  /**
   * The rank of {@code corpus[match[q]]} for every query {@code q}.
   *
   * @param progress told how many queries are done
   * @throws IllegalArgumentException when widths differ or a match is outside the corpus
   */
  public int[] ranks(
      UnitVectors queries, UnitVectors corpus, int[] match, InferenceProgress progress) {
    if (queries.width() != corpus.width()) {
      throw new IllegalArgumentException(String.format(Locale.ROOT,
          "queries have width %d but the corpus %d", queries.width(), corpus.width()));
    }
    if (match.length != queries.count()) {
      throw new IllegalArgumentException(String.format(Locale.ROOT,
          "%d matches for %d queries", match.length, queries.count()));
    }
    for (int q = 0; q < match.length; q++) {
      if (match[q] < 0 || match[q] >= corpus.count()) {
        throw new IllegalArgumentException(String.format(Locale.ROOT,
            "query %d: match %d is outside the corpus [0, %d)", q, match[q], corpus.count()));
      }
    }
    int[] ranks = new int[queries.count()];
    AtomicLong done = new AtomicLong();
    ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "o2v-rank");
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<?>> blocks = new ArrayList<>();
      for (int from = 0; from < queries.count(); from += QUERY_BLOCK) {
        int start = from;
        int end = Math.min(queries.count(), from + QUERY_BLOCK);
        blocks.add(pool.submit(() -> {
          rankBlock(queries, corpus, match, start, end, ranks);
          done.addAndGet(end - start);
        }));
      }
      for (Future<?> block : blocks) {
        block.get();
        progress.update(done.get());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("ranking interrupted", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("ranking failed: " + e.getCause(), e.getCause());
    } finally {
      pool.shutdownNow();
      progress.finish(done.get());
    }
    return ranks;
  }

  private static void rankBlock(
      UnitVectors queries, UnitVectors corpus, int[] match, int start, int end, int[] ranks) {
    int width = queries.width();
    float[] q = queries.data();
    float[] c = corpus.data();
    int n = end - start;
    float[] truth = new float[n];
    int[] higher = new int[n];
    for (int i = 0; i < n; i++) {
      truth[i] = UnitVectors.dot(q, (start + i) * width, c, match[start + i] * width, width);
    }
    for (int from = 0; from < corpus.count(); from += CORPUS_BLOCK) {
      int to = Math.min(corpus.count(), from + CORPUS_BLOCK);
      for (int i = 0; i < n; i++) {
        int qo = (start + i) * width;
        float t = truth[i];
        int count = 0;
        for (int r = from; r < to; r++) {
          if (UnitVectors.dot(q, qo, c, r * width, width) > t) {
            count++;
          }
        }
        higher[i] += count;
      }
    }
    for (int i = 0; i < n; i++) {
      ranks[start + i] = 1 + higher[i];
    }
  }
}
