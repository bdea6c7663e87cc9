package dev.o2v.train.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.o2v.core.hp.OutputLayer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricLinesTest {

  @Test
  void epochLinesFollowSageMakersFormatWithFullPrecisionNumbers() {
    assertEquals(
        "#quality_metric: host=algo-1, epoch=0, train cross_entropy <loss>=0.3009043032168976",
        MetricLines.epochLine(0, "train", Metric.CROSS_ENTROPY, 0.3009043032168976));
    assertEquals(
        "#quality_metric: host=algo-1, epoch=12, validation accuracy <score>=0.812",
        MetricLines.epochLine(12, "validation", Metric.ACCURACY, 0.812));
  }

  @Test
  void testLineHasNoEpochAndThroughputIsPrintedInFull() {
    assertEquals(
        "#quality_metric: host=algo-1, test mean_squared_error <loss>=0.9012",
        MetricLines.finalLine("test", Metric.MEAN_SQUARED_ERROR, 0.9012));
    assertEquals(
        "#throughput_metric: host=algo-1, train throughput=13740.775960639015 records/second",
        MetricLines.throughputLine(13740.775960639015));
  }

  @Test
  void progressIsTheShareOfEpochsDoneAndAnEarlyStopSaysOneHundredPercent() {
    assertEquals("#progress_metric: host=algo-1, completed 5.0 % of epochs",
        MetricLines.progressLine(0, 20));
    assertEquals("#progress_metric: host=algo-1, completed 35.0 % of epochs",
        MetricLines.progressLine(6, 20));
    assertEquals("#progress_metric: host=algo-1, completed 100.0 % of epochs",
        MetricLines.progressLine(2, 3));
    assertEquals("#progress_metric: host=algo-1, completed 100 % epochs",
        MetricLines.stoppedEarlyLine());
  }

  @Test
  void testScoresComeBeforeTheTestQualityLines() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    MetricLines lines = new MetricLines(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    Map<Metric, Double> scores = new LinkedHashMap<>();
    scores.put(Metric.PERPLEXITY, 1.1981925797945063);
    scores.put(Metric.CROSS_ENTROPY, 0.18081413600909507);
    scores.put(Metric.ACCURACY, 0.9302006091101694);
    Map<Metric, Double> qualities = new LinkedHashMap<>();
    qualities.put(Metric.CROSS_ENTROPY, 0.18081413600909507);
    qualities.put(Metric.ACCURACY, 0.9302006091101694);
    lines.test(scores, qualities);
    assertEquals(List.of(
        "#test_score (algo-1) : ('perplexity', 1.1981925797945063)",
        "#test_score (algo-1) : ('cross_entropy', 0.18081413600909507)",
        "#test_score (algo-1) : ('accuracy', 0.9302006091101694)",
        "#quality_metric: host=algo-1, test cross_entropy <loss>=0.18081413600909507",
        "#quality_metric: host=algo-1, test accuracy <score>=0.9302006091101694"),
        bytes.toString(StandardCharsets.UTF_8).lines().toList());
  }

  @Test
  void everyMetricOfAnEpochIsPrintedInOrder() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    MetricLines lines = new MetricLines(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    Map<Metric, Double> values = new LinkedHashMap<>();
    values.put(Metric.CROSS_ENTROPY, 0.5);
    values.put(Metric.ACCURACY, 0.75);
    lines.epoch(1, "validation", values);
    String[] printed = bytes.toString(StandardCharsets.UTF_8).split("\n");
    assertEquals(2, printed.length);
    assertEquals(MetricLines.epochLine(1, "validation", Metric.ACCURACY, 0.75), printed[1]);
  }

  @Test
  void softmaxReportsCrossEntropyAndAccuracyRegressionMse() {
    assertEquals(
        List.of(Metric.CROSS_ENTROPY, Metric.ACCURACY), Metric.forOutput(OutputLayer.SOFTMAX));
    assertEquals(
        List.of(Metric.MEAN_SQUARED_ERROR), Metric.forOutput(OutputLayer.MEAN_SQUARED_ERROR));
    assertEquals(List.of(Metric.PERPLEXITY, Metric.CROSS_ENTROPY, Metric.ACCURACY),
        Metric.scoresFor(OutputLayer.SOFTMAX));
    assertEquals(
        List.of(Metric.MEAN_SQUARED_ERROR), Metric.scoresFor(OutputLayer.MEAN_SQUARED_ERROR));
  }
}
