package dev.o2v.inference.retrieval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class RetrievalMetricsTest {

  @Test
  void hitsMeanRankAndMrrFollowTheirDefinitions() {
    int[] ranks = {1, 2, 1, 15, 4};

    RetrievalMetrics m = RetrievalMetrics.of(ranks, new int[] {10, 1, 10}, 20);

    assertArrayEquals(new int[] {1, 10}, m.ks(), "cut-offs sorted and deduplicated");
    assertEquals(2.0 / 5, m.hits()[0], 1e-12, "hits@1");
    assertEquals(4.0 / 5, m.hits()[1], 1e-12, "hits@10");
    assertEquals((1 + 2 + 1 + 15 + 4) / 5.0, m.meanRank(), 1e-12, "mean rank");
    assertEquals((1 + 0.5 + 1 + 1.0 / 15 + 0.25) / 5, m.meanReciprocalRank(), 1e-12, "MRR");
    // Nearest-rank percentiles of the sorted ranks 1,1,2,4,15.
    assertArrayEquals(new int[] {2, 4, 15, 15}, m.rankPercentiles());
  }

  @Test
  void jsonNamesEveryMetric() {
    RetrievalMetrics m = RetrievalMetrics.of(new int[] {1, 3}, new int[] {1, 10}, 7);

    assertEquals("{\"queries\":2,\"corpus\":7,\"ranked_by\":\"cosine\",\"hits@1\":0.500000,"
        + "\"hits@10\":1.00000,\"mean_rank\":2.00000,\"mrr\":0.666667,"
        + "\"rank_percentiles\":{\"50\":1,\"80\":3,\"90\":3,\"99\":3}}", m.toJson("cosine"));
  }

  @Test
  void aCutOffBelowOneIsRefused() {
    assertThrows(IllegalArgumentException.class,
        () -> RetrievalMetrics.of(new int[] {1}, new int[] {0}, 3));
  }
}
