package dev.o2v.cli.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.o2v.core.data.DatasetSummary;
import dev.o2v.train.ChannelFacts;
import dev.o2v.train.EpochRecord;
import dev.o2v.train.NetworkFacts;
import dev.o2v.train.StopReason;
import dev.o2v.train.TrainingHistory;
import dev.o2v.train.model.ModelFiles;
import dev.o2v.train.model.ModelFormatException;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingReportTest {

  @TempDir Path dir;

  private static EpochRecord epoch(int n, double trainLoss, double validationLoss, boolean best) {
    return new EpochRecord(n, Map.of("cross_entropy", trainLoss, "accuracy", 0.5 + n * 0.01),
        Map.of("cross_entropy", validationLoss, "accuracy", 0.4 + n * 0.01), 1000.0 + n, 2.5,
        best);
  }

  /** Four epochs, the best the second, stopped early after the last; with data and network. */
  static TrainingHistory stoppedEarly() {
    TrainingHistory history = TrainingHistory.empty()
        .plus(epoch(0, 0.9, 0.8, true), 0)
        .plus(epoch(1, 0.7, 0.6, true), 1)
        .plus(epoch(2, 0.6, 0.65, false), 1)
        .plus(epoch(3, 0.5, 0.7, false), 1)
        .finished(StopReason.EARLY_STOPPING, Map.of("cross_entropy", 0.61, "accuracy", 0.7));
    ChannelFacts.SideFacts side = new ChannelFacts.SideFacts(100, 700, 6, 11, 14, 15, 3);
    ChannelFacts train = new ChannelFacts(100, 4, List.of(side, side), "class",
        List.of(60L, 40L), null);
    ChannelFacts test = new ChannelFacts(20, 0, List.of(side, side), "regression", List.of(),
        new DatasetSummary.LabelStats(0, 2.5, 5, 1.2));
    NetworkFacts network = new NetworkFacts(
        List.of(new NetworkFacts.Part("embedding0", "(32, 15, 8)", 160, ""),
            new NetworkFacts.Part("encoder0", "(32, 8)", 0, "pooled_embedding, 1 layer(s)")),
        160);
    return history.withFacts(Map.of("train", train, "test", test), network);
  }

  private void writeModelFiles(byte[] metricsJson) throws IOException {
    Files.write(dir.resolve(ModelFiles.METRICS_FILE), metricsJson);
    Files.writeString(dir.resolve(ModelFiles.HYPERPARAMETERS_FILE),
        "{\"early_stopping_patience\": \"2\", \"enc_dim\": \"8\", \"note\": \"<b>&\"}");
  }

  @Test
  void aReportShowsEveryCurveAndTableWithDecodableCharts() throws IOException {
    writeModelFiles(stoppedEarly().toJson());

    ReportPage page = ReportPage.read(TrainingReport.write(dir));

    Map<String, BufferedImage> charts = page.charts();
    assertEquals(Set.of("chart-accuracy", "chart-cross_entropy", "chart-throughput"),
        charts.keySet(), "charts found");
    charts.forEach((id, image) -> assertTrue(image.getWidth() >= 400 && image.getHeight() >= 200,
        id + " is " + image.getWidth() + "x" + image.getHeight()));
    Map<String, List<List<String>>> tables = page.tables();
    assertEquals(Set.of("overview", "epochs", "test", "data", "labels", "network",
        "hyperparameters"), tables.keySet(), "tables found");
    assertEquals(5, tables.get("epochs").size(), "header + one row per epoch: "
        + tables.get("epochs"));
    assertEquals("0", tables.get("epochs").get(1).get(0), "epochs are numbered from 0");
    assertTrue(page.html.contains("stopped after epoch 3"), "early-stopping decision missing");
    assertTrue(tables.get("overview").stream().anyMatch(r -> r.equals(
        List.of("best epoch (the model&#39;s weights)", "1"))), "best epoch: "
        + tables.get("overview"));
    assertTrue(tables.get("labels").get(1).get(1).contains("class 0: 60 (60.0%)"),
        "label distribution: " + tables.get("labels"));
    assertTrue(tables.get("hyperparameters").contains(List.of("note", "&lt;b&gt;&amp;")),
        "values from files are escaped: " + tables.get("hyperparameters"));
    assertEquals(List.of("total", "", "160", ""), tables.get("network").get(3));
  }

  @Test
  void aTrainingRecordWrittenBeforeDataAndNetworkWereRecordedStillGivesAReport()
      throws IOException {
    String old = "{\"best_epoch\": 0, \"epochs\": [{\"epoch\": 0, \"seconds\": 1.0,"
        + " \"throughput_records_per_second\": 50.0, \"train\": {\"cross_entropy\": 0.7},"
        + " \"improved\": true}], \"stop_reason\": \"COMPLETED_EPOCHS\", \"test\": {},"
        + " \"validation\": {}}";
    writeModelFiles(old.getBytes(java.nio.charset.StandardCharsets.UTF_8));

    ReportPage page = ReportPage.read(TrainingReport.write(dir));

    assertEquals(Set.of("chart-cross_entropy", "chart-throughput"), page.charts().keySet());
    assertTrue(page.html.contains("written before o2v recorded its data"), "data note missing");
    assertTrue(page.html.contains("written before o2v recorded its network"),
        "network note missing");
    assertTrue(page.html.contains("not triggered; every requested epoch ran"),
        "stopping decision missing");
  }

  @Test
  void aTrainingRecordFromANewerWriterWithMoreFieldsStillGivesAReport() throws IOException {
    String newer = new String(stoppedEarly().toJson(), java.nio.charset.StandardCharsets.UTF_8)
        .replaceFirst("\\{", "{\"recorded_later\": {\"x\": 1},");
    writeModelFiles(newer.getBytes(java.nio.charset.StandardCharsets.UTF_8));

    ReportPage page = ReportPage.read(TrainingReport.write(dir));

    assertEquals(3, page.charts().size(), "charts: " + page.charts().keySet());
  }

  @Test
  void aDirectoryWithoutATrainingRecordIsRefusedInOneLine() {
    ModelFormatException e =
        assertThrows(ModelFormatException.class, () -> TrainingReport.write(dir));

    assertTrue(e.getMessage().contains("no metrics.json") && !e.getMessage().contains("\n"),
        e.getMessage());
  }

  @Test
  void aFailedReportAfterTrainingIsOnlyAWarning() throws IOException {
    Files.writeString(dir.resolve(ModelFiles.METRICS_FILE), "{not json");

    TrainingReport.writeAfterTraining(dir); // must not throw

    assertTrue(Files.notExists(dir.resolve(ModelFiles.REPORT_FILE)), "a report was written");
  }
}
