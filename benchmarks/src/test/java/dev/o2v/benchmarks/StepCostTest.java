package dev.o2v.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.o2v.core.hp.Hyperparameters;
import org.junit.jupiter.api.Test;

class StepCostTest {

  private static final Workload.Steps ONE = new Workload.Steps(0, 1, 1);

  @Test
  void movieLensParametersAreTheTwoTablesTheMlpAndTheHead() {
    StepCost cost = StepCost.of(Workload.movieLens(ONE).hyperparameters(), 64, 1, 1);
    long tables = (944L + 1683L) * 1024; // user and item tables (ids from 1), width enc_dim
    long mlp = 4L * 1024 * 256 + 256; // comparator width 4d -> 256
    long head = 256 + 1;
    assertEquals(tables + mlp + head, cost.parameters(), "parameters " + cost.parameters());
    assertEquals(32 * cost.parameters(), cost.optimizerBytes(), "bytes " + cost.optimizerBytes());
  }

  @Test
  void movieLensFlopsAreThreeTimesTheForwardDenseWorkPlusElementwiseWork() {
    StepCost cost = StepCost.of(Workload.movieLens(ONE).hyperparameters(), 64, 1, 1);
    long dense = 3L * 2 * 64 * (4096L * 256 + 256);
    long elementwise = 3L * 64 * (1024 * 2 + 4096 + 256 + 1);
    assertEquals(dense + elementwise, cost.flops(), "flops " + cost.flops());
  }

  @Test
  void floorIsTheSlowerOfMemoryAndCompute() {
    StepCost cost = new StepCost(10, 1_000, 4_000);
    assertEquals(1.0, cost.floorSeconds(1_000, 1_000_000), "memory-bound floor");
    assertEquals(4.0, cost.floorSeconds(1_000_000, 1_000), "compute-bound floor");
  }

  @Test
  void otherEncodersAreRejected() {
    Hyperparameters hp =
        Workload.topics("x", "hcnn", 64, 64, 1000, 20, 64, ONE).hyperparameters();
    assertThrows(IllegalArgumentException.class, () -> StepCost.of(hp, 64, 20, 20));
  }
}
