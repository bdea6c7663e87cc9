package dev.o2v.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.o2v.core.hp.Hyperparameters;
import org.junit.jupiter.api.Test;

class WorkloadTest {

  @Test
  void everyHarnessWorkloadHasValidHyperparameters() {
    for (boolean quick : new boolean[] {true, false}) {
      for (Workload w : ThroughputSuite.workloads(quick)) {
        Hyperparameters hp = w.hyperparameters();
        assertEquals(w.batch(), hp.miniBatchSize(), w.name() + " batch");
        assertEquals(w.effectiveTokenDim(), hp.enc0().tokenEmbeddingDim(), w.name() + " dim");
      }
    }
  }

  @Test
  void sageMakerSizedWorkloadsUseTheDefaultShapes() {
    Workload w = ThroughputSuite.workload("sagemaker-bilstm", false);
    Hyperparameters hp = w.hyperparameters();
    assertEquals(4096, hp.encDim(), "enc_dim");
    assertEquals(300, hp.enc0().tokenEmbeddingDim(), "token dim");
    assertEquals(40, hp.enc0().maxSeqLen(), "max len");
    assertEquals(32, hp.miniBatchSize(), "batch");
  }

  @Test
  void recordsCoverEveryStepUpToACap() {
    Workload small = Workload.topics("s", "hcnn", 64, 64, 1000, 20, 64,
        new Workload.Steps(2, 3, 4));
    assertEquals(64 * 14, small.records(), "records for 14 steps of 64");
    Workload big = Workload.topics("b", "hcnn", 64, 64, 1000, 20, 512,
        new Workload.Steps(10, 10, 10)); // 110 steps of 512 would be 56,320 records
    assertEquals(20_000, big.records(), "records are capped");
  }

  @Test
  void stepPlansRejectEmptyWindows() {
    assertThrows(IllegalArgumentException.class, () -> new Workload.Steps(0, 0, 1));
  }

  @Test
  void optionsRejectAnUnknownDevice() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> HarnessOptions.parse(new String[] {"--device", "tpu"}));
    assertEquals("--device must be cpu or gpu, found 'tpu'", e.getMessage());
  }
}
