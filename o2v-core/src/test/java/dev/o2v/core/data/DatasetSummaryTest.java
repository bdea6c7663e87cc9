package dev.o2v.core.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class DatasetSummaryTest {

  @Test
  void lengthPercentilesFollowTheNearestRankRule() {
    DataSchema schema =
        new DataSchema(10, 200, 10, 200, LabelKind.CLASS, 3, SidePolicy.BOTH_REQUIRED);
    PairDataset.Builder b = PairDataset.builder(schema);
    // in0 lengths 1..100 (one record each); in1 always 2 ids.
    for (int len = 1; len <= 100; len++) {
      b.add(ones(len), ones(2), len % 2);
    }
    DatasetSummary s = DatasetSummary.of(b.build());
    DatasetSummary.SideSummary in0 = s.sides().get(0);
    assertEquals(100, s.records());
    assertEquals(5050, in0.tokens(), "1 + 2 + ... + 100");
    assertEquals(50, in0.p50());
    assertEquals(90, in0.p90());
    assertEquals(99, in0.p99());
    assertEquals(100, in0.max());
    assertEquals(2, s.sides().get(1).p99());
    assertEquals(List.of(50L, 50L, 0L), s.classCounts());
    assertNull(s.labelStats());
  }

  @Test
  void regressionLabelsGetMinMeanMaxStd() {
    DataSchema schema =
        new DataSchema(10, 5, 10, 5, LabelKind.REGRESSION, 0, SidePolicy.BOTH_REQUIRED);
    PairDataset.Builder b = PairDataset.builder(schema);
    for (float label : new float[] {1f, 2f, 3f, 4f}) {
      b.add(new int[] {1}, new int[] {1}, label);
    }
    DatasetSummary.LabelStats stats = DatasetSummary.of(b.build()).labelStats();
    assertEquals(1.0, stats.min());
    assertEquals(2.5, stats.mean());
    assertEquals(4.0, stats.max());
    assertEquals(Math.sqrt(1.25), stats.std(), 1e-12);
  }

  @Test
  void formatShowsEveryNumberOnReadableLines() {
    DataSchema schema =
        new DataSchema(10, 3, 10, 3, LabelKind.CLASS, 2, SidePolicy.BOTH_REQUIRED);
    PairDataset data = PairDataset.builder(schema)
        .add(new int[] {1, 2, 3}, new int[] {1}, 1f)
        .add(new int[] {1}, new int[] {1}, 0f)
        .add(new int[] {1}, new int[] {1}, 1f)
        .build();
    String text = DatasetSummary.of(data).format();
    assertEquals(4, text.lines().count(), text);
    assertTrue(text.contains("records: 3"), text);
    assertTrue(text.contains("in0: 3 records, 5 tokens, length p50=1 p90=3 p99=3 max=3"), text);
    assertTrue(text.contains("class 0: 1 (33.3%), class 1: 2 (66.7%)"), text);
  }

  @Test
  void percentileOfAnEmptySideIsZero() {
    assertEquals(0, DatasetSummary.percentile(new long[4], 0, 50));
  }

  /** {@code n} ids that are all 1 (id 0 would be dropped as padding). */
  private static int[] ones(int n) {
    int[] ids = new int[n];
    java.util.Arrays.fill(ids, 1);
    return ids;
  }
}
