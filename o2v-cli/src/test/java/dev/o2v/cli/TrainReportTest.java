package dev.o2v.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.o2v.cli.report.ReportPage;
import dev.o2v.train.TrainingHistory;
import dev.o2v.train.model.ModelFiles;
import dev.o2v.train.model.ModelManifest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainReportTest {

  @TempDir Path dir;

  @Test
  void trainingWritesAReportBesideAModelThatStillLoadsAndRetrains() throws Exception {
    TrainFixture task = TrainFixture.write(dir.resolve("task"));
    Path model = dir.resolve("model");

    task.trainOk(model);

    Path report = model.resolve(ModelFiles.REPORT_FILE);
    assertTrue(Files.isRegularFile(report), "no report.html in " + model);
    ReportPage page = ReportPage.read(report);
    assertTrue(page.charts().containsKey("chart-throughput"), "charts: " + page.charts().keySet());
    assertTrue(page.tables().keySet().containsAll(List.of("epochs", "data", "network",
        "hyperparameters")), "tables: " + page.tables().keySet());
    // The manifest's checks pass with the report beside it, and a later run may replace it all.
    ModelManifest.readFrom(model);
    TrainingHistory history =
        TrainingHistory.fromJson(Files.readAllBytes(model.resolve(ModelFiles.METRICS_FILE)));
    var train = history.data().get("train");
    assertEquals(64, train.records() + train.discarded(),
        "records used " + train.records() + " + discarded " + train.discarded());
    assertTrue(history.network().totalParameters() > 0, "network recorded: " + history.network());
    task.trainOk(model, "--overwrite");
  }

  @Test
  void noReportWritesNoneAndRemovesTheReportOfTheReplacedModel() throws Exception {
    TrainFixture task = TrainFixture.write(dir.resolve("task"));
    Path model = dir.resolve("model");
    task.trainOk(model);
    assertTrue(Files.exists(model.resolve(ModelFiles.REPORT_FILE)), "first run wrote no report");

    task.trainOk(model, "--overwrite", "--no-report");

    assertTrue(Files.notExists(model.resolve(ModelFiles.REPORT_FILE)),
        "a report is left beside a model it does not describe");
    Path fresh = dir.resolve("fresh");
    task.trainOk(fresh, "--no-report");
    assertTrue(Files.notExists(fresh.resolve(ModelFiles.REPORT_FILE)), "--no-report wrote one");
  }

  @Test
  void theReportCommandWritesTheReportOfATrainedModelAndNamesIt() throws Exception {
    TrainFixture task = TrainFixture.write(dir.resolve("task"));
    Path model = dir.resolve("model");
    task.trainOk(model, "--no-report");

    CliRunner.Result r = CliRunner.run("report", "--model-dir", model.toString());

    assertEquals(ExitCodes.OK, r.exitCode(), r.err());
    assertEquals(model.resolve(ModelFiles.REPORT_FILE).toString(), r.out().strip());
    assertEquals(3, ReportPage.read(model.resolve(ModelFiles.REPORT_FILE)).charts().size(),
        "cross_entropy, accuracy and throughput charts");
  }

  @Test
  void theReportCommandRefusesADirectoryWithoutAModelInOneLine() throws Exception {
    Files.createDirectories(dir.resolve("empty"));

    CliRunner.Result r = CliRunner.run("report", "--model-dir", dir.resolve("empty").toString());

    assertEquals(ExitCodes.IO, r.exitCode(), r.err());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    assertTrue(r.err().contains("no metrics.json"), r.err());
    assertTrue(Files.notExists(dir.resolve("empty").resolve(ModelFiles.REPORT_FILE)));
    Map<String, byte[]> nothing = TrainFixture.snapshot(dir.resolve("empty"));
    assertTrue(nothing.isEmpty(), "files left: " + nothing.keySet());
  }
}
