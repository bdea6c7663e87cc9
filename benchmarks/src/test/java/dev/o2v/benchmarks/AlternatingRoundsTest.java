package dev.o2v.benchmarks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class AlternatingRoundsTest {

  @Test
  void pooledRoundsReportTheMedianOfEveryWindowAndStep() {
    Rate first = new Rate(new double[] {100, 300}, new double[] {1, 2, 3});
    Rate second = new Rate(new double[] {200, 900, 50}, new double[] {10});
    Rate pooled = Rate.pooled(List.of(first, second));
    assertArrayEquals(new double[] {100, 300, 200, 900, 50}, pooled.recordsPerSecond());
    assertEquals(200, pooled.median(), "median over all five windows");
    assertEquals(2.5, pooled.medianStepMillis(), "median over all four steps");
  }

  @Test
  void referenceRoundsPoolTrainingAndInferenceSeparately() {
    ReferenceRunner.Result a = new ReferenceRunner.Result("w", 7,
        new Rate(new double[] {10}, new double[] {1}), new Rate(new double[] {40}, new double[0]));
    ReferenceRunner.Result b = new ReferenceRunner.Result("w", 7,
        new Rate(new double[] {30}, new double[] {3}), new Rate(new double[] {20}, new double[0]));
    ReferenceRunner.Result pooled = ReferenceRunner.Result.pooled(List.of(a, b));
    assertEquals(20, pooled.train().median());
    assertEquals(30, pooled.infer().median());
    assertEquals(7, pooled.params());
  }

  @Test
  void onlyMillisecondStepWorkloadsAlternateAndNeverInAQuickRun() {
    int alternated = 0;
    for (Workload w : ThroughputSuite.workloads(false)) {
      int rounds = ThroughputSuite.rounds(w, false);
      boolean big = w.name().startsWith("sagemaker-") || w.name().equals("doc-embedding");
      assertEquals(big ? 1 : ThroughputSuite.ALTERNATING_ROUNDS, rounds, w.name());
      alternated += rounds > 1 ? 1 : 0;
    }
    assertEquals(5, alternated, "small workloads, sentence-hcnn and movielens");
    for (Workload w : ThroughputSuite.workloads(true)) {
      assertEquals(1, ThroughputSuite.rounds(w, true), w.name());
    }
  }
}
