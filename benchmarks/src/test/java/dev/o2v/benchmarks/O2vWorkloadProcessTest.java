package dev.o2v.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class O2vWorkloadProcessTest {

  private static HarnessOptions quickOptions() {
    return HarnessOptions.parse(new String[] {"--quick", "--threads", "1", "--python", "none"});
  }

  @Test
  void aChildJvmMeasuresTheWorkloadAndHandsBackItsRates(@TempDir Path work) throws Exception {
    Workload small = ThroughputSuite.workload("small-pooled_embedding", true);

    O2vWorkloadProcess.Outcome outcome = O2vWorkloadProcess.measure(small, quickOptions(), work);

    assertEquals(small.steps().repeats(), outcome.train().recordsPerSecond().length,
        "one training rate per timed window");
    assertTrue(outcome.train().median() > 0, "training rate " + outcome.train().median());
    assertTrue(outcome.infer().median() > 0, "inference rate " + outcome.infer().median());
    assertTrue(outcome.trainerEpochRate() > 0, "trainer rate " + outcome.trainerEpochRate());
    assertTrue(outcome.parameters() > 0, "parameters");
    assertEquals(small.records(), Files.readAllLines(outcome.jsonl()).size(),
        "the reference's copy of the records");
  }

  @Test
  void aFailingChildIsReportedWithItsExitCode(@TempDir Path work) {
    Workload unknown = Workload.topics("no-such-workload", "hcnn", 64, 64, 1000, 20, 64,
        new Workload.Steps(1, 1, 1));

    IOException e = assertThrows(IOException.class,
        () -> O2vWorkloadProcess.measure(unknown, quickOptions(), work));

    assertEquals("the o2v measurement of no-such-workload exited 1 (its output is above)",
        e.getMessage());
  }
}
