package dev.o2v.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class CliScalingSuiteTest {

  private static CliScalingSuite.Result result(int vocab, double epoch0, double epoch1,
      double floorMillis) {
    return new CliScalingSuite.Result(vocab, new double[] {epoch0, epoch1}, 5, 3, 100,
        floorMillis);
  }

  @Test
  void theCeilingAddsTheLargeTablesExtraMemoryTimeToTheSmallTablesStep() {
    // 25,600 records/s at batch 256 is a 10 ms step; 12,800 a 20 ms step.
    List<CliScalingSuite.Result> results =
        List.of(result(10_000, 25_600, 12_800, 0.5), result(3_000_000, 20_000, 10_000, 2.5));
    assertEquals(10.0 / 12.0, CliScalingSuite.ceiling(results, 0), 1e-12);
    assertEquals(20.0 / 22.0, CliScalingSuite.ceiling(results, 1), 1e-12);
    assertEquals(20_000.0 / 25_600, CliScalingSuite.ratio(results, 0), 1e-12);
  }

  @Test
  void aLargeTableNoSlowerInMemoryLeavesNoCeilingBelowOne() {
    List<CliScalingSuite.Result> results =
        List.of(result(10_000, 25_600, 25_600, 0.9), result(3_000_000, 25_600, 25_600, 0.8));
    assertEquals(1.0, CliScalingSuite.ceiling(results, 0), 1e-12);
  }

  @Test
  void distinctRowsAreCountedPerBatchOfRecordsOverBothSides() {
    int[][] sides = {
        {1, 2}, {2, 3}, // record 0
        {3}, {4, 4}, // record 1: batch 0 holds 1, 2, 3, 4
        {5}, {5}, // record 2
        {6, 7}, {8}, // record 3: batch 1 holds 5, 6, 7, 8
        {9}, {9}, // record 4: an incomplete batch, not counted
    };
    assertEquals(4, ScatteredRowsFloor.distinctRowsPerBatch(sides, 2, 10));
    assertEquals(4, ScatteredRowsFloor.distinctRowsPerBatch(sides, 2, 1));
    assertThrows(IllegalArgumentException.class,
        () -> ScatteredRowsFloor.distinctRowsPerBatch(sides, 8, 10));
  }

  @Test
  void theFloorRefusesMoreDistinctRowsThanTheTableHas() {
    assertThrows(IllegalArgumentException.class,
        () -> ScatteredRowsFloor.millisPerStep(10, 16, 11, 1, 1));
  }
}
