package dev.o2v.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import dev.o2v.benchmarks.soak.ServeSoakRun;
import dev.o2v.benchmarks.soak.SoakConfig;
import dev.o2v.benchmarks.soak.SoakReport;
import dev.o2v.inference.InferenceRunner;
import dev.o2v.inference.serve.RunnerPredictor;
import dev.o2v.train.model.TrainedModel;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A short soak of a real model behind the server: valid, invalid, slow and abandoned requests
 * together never cause a 5xx, every request is answered and {@code /ping} keeps answering.
 */
@Tag("engine")
class ServeSoakTest {

  @TempDir Path dir;

  @Test
  void aMixOfGoodBadSlowAndAbandonedRequestsNeverCausesA5xx() throws Exception {
    SoakReport report;
    try (TrainedModel model = TrainedModel.load(ServeSoak.trainTinyModel(dir), Device.cpu())) {
      report = ServeSoakRun.run(new RunnerPredictor(new InferenceRunner(model)),
          new SoakConfig(Duration.ofSeconds(12), 8, 100_000, Duration.ofSeconds(4), 5L));
    }
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    report.print(new PrintStream(printed, true, StandardCharsets.UTF_8));
    String summary = printed.toString(StandardCharsets.UTF_8);
    System.out.print(summary);

    assertEquals(0, report.serverErrors(), summary);
    assertEquals(0, report.unanswered(), summary);
    assertEquals(0, report.unexpected(), summary);
    assertEquals(0, report.pingFailures(), summary);
    assertTrue(report.pingMillis().length >= 10, "too few pings answered: " + summary);
    for (String status : new String[] {"PAIR_JSON 200", "EMBED_JSONLINES 200", "SLOW 200",
        "MALFORMED 400", "OUT_OF_VOCAB 400", "OVERSIZED 413"}) {
      assertTrue(report.byKind().getOrDefault(status, 0L) > 0, "no " + status + ": " + summary);
    }
    assertTrue(report.byKind().getOrDefault("WRONG_CONTENT_TYPE 415", 0L) > 0, summary);
    assertTrue(report.abandoned() > 0, "no request was abandoned: " + summary);
  }
}
