package dev.o2v.inference.retrieval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.o2v.inference.InferenceProgress;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CosineRankerTest {

  /** Rank by the definition: 1 + items whose cosine (in double) is strictly above the match's. */
  private static int[] bruteForceRanks(List<float[]> queries, List<float[]> corpus, int[] match) {
    int[] ranks = new int[queries.size()];
    for (int q = 0; q < queries.size(); q++) {
      double truth = cosine(queries.get(q), corpus.get(match[q]));
      int higher = 0;
      for (float[] item : corpus) {
        if (cosine(queries.get(q), item) > truth) {
          higher++;
        }
      }
      ranks[q] = 1 + higher;
    }
    return ranks;
  }

  private static double cosine(float[] a, float[] b) {
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int i = 0; i < a.length; i++) {
      dot += (double) a[i] * b[i];
      na += (double) a[i] * a[i];
      nb += (double) b[i] * b[i];
    }
    return na == 0 || nb == 0 ? 0 : dot / Math.sqrt(na * nb);
  }

  private static List<float[]> gaussianRows(int count, int width, SplittableRandom rng) {
    List<float[]> rows = new ArrayList<>();
    for (int r = 0; r < count; r++) {
      float[] row = new float[width];
      for (int i = 0; i < width; i++) {
        row[i] = (float) (rng.nextDouble() * 2 - 1);
      }
      rows.add(row);
    }
    return rows;
  }

  @Test
  void blockedRanksEqualBruteForceRanksOnRandomData() {
    SplittableRandom rng = new SplittableRandom(11);
    // Sizes that leave partial query and corpus blocks; width 7 exercises the dot's tail loop.
    int width = 7;
    List<float[]> corpus = gaussianRows(CosineRanker.CORPUS_BLOCK + 37, width, rng);
    List<float[]> queries = gaussianRows(CosineRanker.QUERY_BLOCK * 2 + 5, width, rng);
    int[] match = rng.ints(queries.size(), 0, corpus.size()).toArray();

    int[] ranks = new CosineRanker(3).ranks(UnitVectors.of(queries, width),
        UnitVectors.of(corpus, width), match, InferenceProgress.silent());

    assertArrayEquals(bruteForceRanks(queries, corpus, match), ranks);
  }

  @Test
  void itemsTyingWithTheTrueMatchDoNotPushItDown() {
    SplittableRandom rng = new SplittableRandom(5);
    int width = 16;
    List<float[]> corpus = gaussianRows(50, width, rng);
    // Items 10..14 are copies of item 3, and item 20 is item 3 scaled: all tie with it.
    for (int i = 10; i < 15; i++) {
      corpus.set(i, corpus.get(3).clone());
    }
    float[] scaled = corpus.get(3).clone();
    for (int i = 0; i < width; i++) {
      scaled[i] *= 4;
    }
    corpus.set(20, scaled);
    List<float[]> queries = gaussianRows(40, width, rng);
    int[] match = new int[queries.size()];
    java.util.Arrays.fill(match, 3);

    int[] ranks = new CosineRanker(1).ranks(UnitVectors.of(queries, width),
        UnitVectors.of(corpus, width), match, InferenceProgress.silent());

    int[] reference = bruteForceRanks(queries, corpus, match);
    assertArrayEquals(reference, ranks);
    // The query equal to item 3 itself must be ranked first despite six tying items.
    int[] self = new CosineRanker(1).ranks(UnitVectors.of(List.of(corpus.get(3)), width),
        UnitVectors.of(corpus, width), new int[] {12}, InferenceProgress.silent());
    assertEquals(1, self[0], "rank of a query whose match ties with six other items");
  }

  @Test
  void theThreadCountDoesNotChangeTheRanks() {
    SplittableRandom rng = new SplittableRandom(8);
    UnitVectors corpus = UnitVectors.of(gaussianRows(700, 9, rng), 9);
    UnitVectors queries = UnitVectors.of(gaussianRows(300, 9, rng), 9);
    int[] match = rng.ints(300, 0, 700).toArray();
    AtomicLong reported = new AtomicLong();
    InferenceProgress progress = new InferenceProgress() {
      @Override
      public void update(long done) {
        reported.set(Math.max(reported.get(), done));
      }

      @Override
      public void finish(long done) {}
    };

    int[] one = new CosineRanker(1).ranks(queries, corpus, match, progress);
    int[] four = new CosineRanker(4).ranks(queries, corpus, match, InferenceProgress.silent());

    assertArrayEquals(one, four);
    assertEquals(300, reported.get(), "queries reported done");
  }

  @Test
  void aMatchOutsideTheCorpusIsRefused() {
    UnitVectors two = UnitVectors.of(List.of(new float[] {1, 0}, new float[] {0, 1}), 2);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new CosineRanker(1).ranks(two, two, new int[] {0, 2}, InferenceProgress.silent()));
    assertEquals("query 1: match 2 is outside the corpus [0, 2)", e.getMessage());
  }
}
