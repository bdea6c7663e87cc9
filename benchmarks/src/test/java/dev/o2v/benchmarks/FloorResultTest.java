package dev.o2v.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class FloorResultTest {

  /** A step that moves one megabyte and does one million floating-point operations. */
  private static final StepCost COST = new StepCost(1, 1_000_000, 1_000_000);

  private static FloorRound round(double copy, double add, double flops, double stepMillis) {
    return new FloorRound(new MachineRates(copy, add, flops, 8, 64, 2), stepMillis);
  }

  @Test
  void theFloorTakesTheBestRatesOfAnyRoundAndTheStepTheirMedian() {
    FloorResult result = new FloorResult("w", COST, List.of(
        round(0.2e9, 0.5e9, 1e9, 5.0), // memory 2 ms, compute 1 ms
        round(0.3e9, 2e9, 0.25e9, 4.0), // memory 0.5 ms, compute 4 ms
        round(1e9, 0.4e9, 0.5e9, 1.5)), 6.0); // memory 1 ms (copy), compute 2 ms
    assertEquals(2e9, result.bandwidth(), 1e-3);
    assertEquals(1e9, result.matmulFlopsPerSecond(), 1e-3);
    assertEquals(0.5, result.memoryMillis(), 1e-12);
    assertEquals(1.0, result.computeMillis(), 1e-12);
    assertEquals(1.0, result.floorMillis(), 1e-12); // no single round's floor is this low
    assertEquals(4.0, result.o2vStepMillis(), 1e-12);
    assertEquals(4.0, result.o2vMultiple(), 1e-12);
    assertEquals(6.0, result.referenceMultiple(), 1e-12);
  }

  @Test
  void oneRoundIsItsOwnFloor() {
    FloorResult result =
        new FloorResult("w", COST, List.of(round(1e9, 0.5e9, 2e9, 3.0)), Double.NaN);
    assertEquals(1.0, result.floorMillis(), 1e-12); // memory at the copy's 1 GB/s
    assertEquals(3.0, result.o2vMultiple(), 1e-12);
  }

  @Test
  void aResultNeedsARound() {
    assertThrows(IllegalArgumentException.class,
        () -> new FloorResult("w", COST, List.of(), Double.NaN));
  }
}
