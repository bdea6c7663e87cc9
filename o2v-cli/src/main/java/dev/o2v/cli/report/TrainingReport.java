package dev.o2v.cli.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.o2v.train.ChannelFacts;
import dev.o2v.train.EpochRecord;
import dev.o2v.train.NetworkFacts;
import dev.o2v.train.StopReason;
import dev.o2v.train.TrainingHistory;
import dev.o2v.train.model.AtomicFiles;
import dev.o2v.train.model.ModelFiles;
import dev.o2v.train.model.ModelFormatException;
import dev.o2v.train.model.ModelManifest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes {@code report.html} into a model directory: per-epoch curves with the best and the
 * early-stopping epoch marked, throughput, the network, the resolved hyperparameters, the data
 * and the test metrics, in one file that needs nothing else to open.
 *
 * <p>Everything comes from the files training wrote ({@code metrics.json}, {@code
 * hyperparameters.json}, {@code manifest.json}); no engine is started. A {@code metrics.json}
 * written before the data and network were recorded gives a report that says so in their place.
 */
public final class TrainingReport {

  private static final Logger LOG = LoggerFactory.getLogger(TrainingReport.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String[] SIDES = {"in0", "in1"};

  private final Path modelDir;
  private final TrainingHistory history;
  private final Map<String, String> hyperparameters;
  private final JsonNode manifest;

  private TrainingReport(Path modelDir, TrainingHistory history,
      Map<String, String> hyperparameters, JsonNode manifest) {
    this.modelDir = modelDir;
    this.history = history;
    this.hyperparameters = hyperparameters;
    this.manifest = manifest;
  }

  /**
   * Writes the report of the model in {@code modelDir}, replacing an earlier one atomically.
   *
   * @return the file written
   * @throws ModelFormatException when the directory holds no readable training record
   */
  public static Path write(Path modelDir) throws IOException {
    // Charts are drawn off screen: a server or container has no display, and needs none.
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
    TrainingReport report = read(modelDir);
    Path file = modelDir.resolve(ModelFiles.REPORT_FILE);
    AtomicFiles.write(file, report.render().getBytes(StandardCharsets.UTF_8));
    return file;
  }

  /**
   * Writes the report after a successful training run; any failure is one warning, because the
   * model is complete without its report.
   */
  public static void writeAfterTraining(Path modelDir) {
    try {
      Path file = write(modelDir);
      LOG.info("training report written to {}", file);
    } catch (Exception | LinkageError | java.awt.AWTError e) {
      String reason = String.valueOf(e.getMessage()).replaceAll("\\s*\\R\\s*", "; ");
      LOG.warn("training report not written ({}: {}); the model is complete, and `o2v report "
          + "--model-dir {}` can try again", e.getClass().getSimpleName(), reason, modelDir);
      LOG.debug("training report failure", e);
    }
  }

  /**
   * Removes the report of a model just replaced, so that no stale report describes it; a failure
   * is one warning, as for writing it.
   */
  public static void removeStale(Path modelDir) {
    Path file = modelDir.resolve(ModelFiles.REPORT_FILE);
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      LOG.warn("{} describes the replaced model and could not be removed: {}", file,
          e.getMessage());
    }
  }

  static TrainingReport read(Path modelDir) throws IOException {
    Path metrics = modelDir.resolve(ModelFiles.METRICS_FILE);
    TrainingHistory history;
    try {
      history = TrainingHistory.fromJson(Files.readAllBytes(metrics));
    } catch (NoSuchFileException e) {
      throw new ModelFormatException(modelDir, Files.isDirectory(modelDir)
          ? "not an o2v model directory (no " + ModelFiles.METRICS_FILE + ")"
          : "no such model directory");
    } catch (com.fasterxml.jackson.core.JacksonException e) {
      throw new ModelFormatException(metrics, "unreadable training record: "
          + e.getOriginalMessage());
    }
    Map<String, String> hp = new java.util.TreeMap<>();
    JsonNode hpTree = readTree(modelDir.resolve(ModelFiles.HYPERPARAMETERS_FILE));
    for (Iterator<Map.Entry<String, JsonNode>> it = hpTree.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      hp.put(field.getKey(), field.getValue().asText());
    }
    return new TrainingReport(modelDir, history, hp,
        readTree(modelDir.resolve(ModelManifest.FILE_NAME)));
  }

  /** A missing or unreadable side file leaves its part of the report empty. */
  private static JsonNode readTree(Path file) {
    try {
      JsonNode tree = JSON.readTree(file.toFile());
      return tree == null ? JSON.createObjectNode() : tree;
    } catch (IOException e) {
      LOG.debug("{} not read: {}", file, e.getMessage());
      return JSON.createObjectNode();
    }
  }

  /** The whole HTML document. */
  String render() throws IOException {
    Html html = new Html();
    html.raw("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
        .text("o2v training report: " + modelDir.getFileName())
        .raw("</title>\n<style>\n").raw(STYLE).raw("</style>\n</head>\n<body>\n");
    html.element("h1", "Training report");
    overview(html);
    curves(html);
    epochTable(html);
    testMetrics(html);
    data(html);
    network(html);
    hyperparameterTable(html);
    html.raw("</body>\n</html>\n");
    return html.toString();
  }

  private static final String STYLE = String.join("\n",
      "body { font-family: sans-serif; margin: 2em; color: #222; max-width: 70em; }",
      "table { border-collapse: collapse; margin: 0.5em 0 1.5em; }",
      "th, td { border: 1px solid #ccc; padding: 0.25em 0.6em; text-align: right; }",
      "th { background: #f3f3f3; }",
      "td:first-child, th:first-child { text-align: left; }",
      "#overview td, #labels td, #hyperparameters td, #network td { text-align: left; }",
      "tr.best td { background: #e8f5e9; }",
      "img { display: block; margin: 0.5em 0 1.5em; border: 1px solid #eee; }",
      "p.note { color: #666; }",
      "");

  private OptionalInt stopEpoch() {
    List<EpochRecord> epochs = history.epochs();
    return history.stopReason() == StopReason.EARLY_STOPPING && !epochs.isEmpty()
        ? OptionalInt.of(epochs.get(epochs.size() - 1).epoch()) : OptionalInt.empty();
  }

  private void overview(Html html) {
    List<List<String>> rows = new ArrayList<>();
    rows.add(List.of("model directory", modelDir.toAbsolutePath().normalize().toString()));
    rows.add(List.of("written", manifest.path("created_utc").asText("unknown")));
    rows.add(List.of("o2v / DJL / PyTorch", manifest.path("o2v_version").asText("?") + " / "
        + manifest.path("djl_version").asText("?") + " / "
        + manifest.path("pytorch_version").asText("?")));
    rows.add(List.of("epochs run", Integer.toString(history.epochs().size())));
    rows.add(List.of("best epoch (the model's weights)",
        history.bestEpoch() < 0 ? "none" : Integer.toString(history.bestEpoch())));
    rows.add(List.of("early stopping", stoppingDecision()));
    double seconds = history.epochs().stream().mapToDouble(EpochRecord::seconds).sum();
    rows.add(List.of("training time", String.format(Locale.ROOT, "%.1f s", seconds)));
    html.element("h2", "Overview");
    html.table("overview", List.of("", ""), rows);
  }

  private String stoppingDecision() {
    String rule = String.format(Locale.ROOT, "patience %s, tolerance %s, on the %s loss",
        hyperparameters.getOrDefault("early_stopping_patience", "?"),
        hyperparameters.getOrDefault("early_stopping_tolerance", "?"),
        history.epochs().stream().anyMatch(e -> !e.validation().isEmpty())
            ? "validation" : "training");
    if (history.stopReason() == null) {
      return "not recorded (" + rule + ")";
    }
    return switch (history.stopReason()) {
      case EARLY_STOPPING -> "stopped after epoch " + stopEpoch().orElse(-1)
          + ": no improvement within the patience (" + rule + ")";
      case COMPLETED_EPOCHS -> "not triggered; every requested epoch ran (" + rule + ")";
    };
  }

  private void curves(Html html) throws IOException {
    html.element("h2", "Curves");
    if (history.epochs().isEmpty()) {
      html.raw("<p class=\"note\">No epoch finished.</p>\n");
      return;
    }
    html.raw("<p class=\"note\">Green dashed line: the best epoch, whose weights the model "
        + "holds. Red dashed line: the epoch after which early stopping ended the run.</p>\n");
    EpochCharts charts = new EpochCharts(history.epochs(), history.bestEpoch(), stopEpoch());
    for (String metric : EpochCharts.metricNames(history.epochs())) {
      html.png("chart-" + metric, metric + " per epoch", charts.metric(metric));
    }
    html.png("chart-throughput", "training throughput per epoch", charts.throughput());
  }

  private void epochTable(Html html) {
    List<EpochRecord> epochs = history.epochs();
    List<String> trainNames = new ArrayList<>();
    List<String> validationNames = new ArrayList<>();
    for (EpochRecord e : epochs) {
      e.train().keySet().stream().sorted().filter(n -> !trainNames.contains(n))
          .forEach(trainNames::add);
      e.validation().keySet().stream().sorted().filter(n -> !validationNames.contains(n))
          .forEach(validationNames::add);
    }
    List<String> header = new ArrayList<>(List.of("epoch"));
    trainNames.forEach(n -> header.add("train " + n));
    validationNames.forEach(n -> header.add("validation " + n));
    header.addAll(List.of("records/s", "seconds", "new best"));
    List<List<String>> rows = new ArrayList<>();
    for (EpochRecord e : epochs) {
      List<String> row = new ArrayList<>(List.of(Integer.toString(e.epoch())));
      trainNames.forEach(n -> row.add(number(e.train().get(n))));
      validationNames.forEach(n -> row.add(number(e.validation().get(n))));
      row.add(String.format(Locale.ROOT, "%,.0f", e.throughput()));
      row.add(String.format(Locale.ROOT, "%.2f", e.seconds()));
      row.add(e.improved() ? "yes" : "");
      rows.add(row);
    }
    html.element("h2", "Epochs");
    html.table("epochs", header, rows);
  }

  private void testMetrics(Html html) {
    html.element("h2", "Test metrics (best model)");
    if (history.test().isEmpty()) {
      html.raw("<p class=\"note\">No test channel was given.</p>\n");
      return;
    }
    List<List<String>> rows = new ArrayList<>();
    new java.util.TreeMap<>(history.test())
        .forEach((name, value) -> rows.add(List.of(name, number(value))));
    html.table("test", List.of("metric", "value"), rows);
  }

  private void data(Html html) {
    html.element("h2", "Data");
    Map<String, ChannelFacts> channels = history.data();
    if (channels.isEmpty()) {
      html.raw("<p class=\"note\">Not recorded: this model's metrics.json was written before "
          + "o2v recorded its data.</p>\n");
      return;
    }
    List<String> header = new ArrayList<>(List.of("channel", "records", "discarded"));
    for (String side : SIDES) {
      header.addAll(List.of(side + " p50", side + " p90", side + " p99", side + " max",
          side + " truncated"));
    }
    List<List<String>> rows = new ArrayList<>();
    List<List<String>> labels = new ArrayList<>();
    for (String name : List.of("train", "validation", "test")) {
      ChannelFacts facts = channels.get(name);
      if (facts == null) {
        continue;
      }
      List<String> row = new ArrayList<>(List.of(name, count(facts.records()),
          count(facts.discarded())));
      for (int side = 0; side < SIDES.length; side++) {
        if (side < facts.sides().size()) {
          ChannelFacts.SideFacts s = facts.sides().get(side);
          row.addAll(List.of(Integer.toString(s.p50()), Integer.toString(s.p90()),
              Integer.toString(s.p99()), Integer.toString(s.max()), count(s.truncated())));
        } else {
          row.addAll(List.of("", "", "", "", ""));
        }
      }
      rows.add(row);
      labels.add(List.of(name, describeLabels(facts)));
    }
    html.raw("<p class=\"note\">Lengths in ids as the network sees them (cut to max_seq_len, "
        + "padding not counted); percentiles by nearest rank.</p>\n");
    html.table("data", header, rows);
    html.element("h3", "Labels");
    html.table("labels", List.of("channel", "distribution"), labels);
  }

  private static String describeLabels(ChannelFacts facts) {
    if ("class".equals(facts.labelKind())) {
      StringBuilder text = new StringBuilder();
      for (int c = 0; c < facts.classCounts().size(); c++) {
        long n = facts.classCounts().get(c);
        double share = facts.records() == 0 ? 0 : 100.0 * n / facts.records();
        text.append(c == 0 ? "" : ", ")
            .append(String.format(Locale.ROOT, "class %d: %,d (%.1f%%)", c, n, share));
      }
      return text.toString();
    }
    if (facts.labelStats() != null) {
      var s = facts.labelStats();
      return String.format(Locale.ROOT, "min %.4g, mean %.4g, max %.4g, std %.4g",
          s.min(), s.mean(), s.max(), s.std());
    }
    return facts.labelKind() == null ? "unknown" : facts.labelKind();
  }

  private void network(Html html) {
    html.element("h2", "Network");
    NetworkFacts net = history.network();
    if (net == null) {
      html.raw("<p class=\"note\">Not recorded: this model's metrics.json was written before "
          + "o2v recorded its network.</p>\n");
      return;
    }
    List<List<String>> rows = new ArrayList<>();
    for (NetworkFacts.Part part : net.parts()) {
      rows.add(List.of(part.name(), part.outputShape(), count(part.parameters()),
          part.note() == null ? "" : part.note()));
    }
    rows.add(List.of("total", "", count(net.totalParameters()), ""));
    html.raw("<p class=\"note\">Output shapes for one mini-batch of the longest "
        + "sequences.</p>\n");
    html.table("network", List.of("part", "output shape", "parameters", "note"), rows);
  }

  private void hyperparameterTable(Html html) {
    html.element("h2", "Hyperparameters (resolved)");
    List<List<String>> rows = new ArrayList<>();
    hyperparameters.forEach((key, value) -> rows.add(List.of(key, value)));
    html.table("hyperparameters", List.of("key", "value"), rows);
  }

  private static String number(Double value) {
    return value == null ? "" : String.format(Locale.ROOT, "%.6g", value);
  }

  private static String count(long value) {
    return String.format(Locale.ROOT, "%,d", value);
  }
}
