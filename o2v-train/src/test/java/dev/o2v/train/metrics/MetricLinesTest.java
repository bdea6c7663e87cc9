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
  void epochLinesFollowSageMakersFormat() {
    assertEquals(
        "#quality_metric: host=algo-1, epoch=3, train cross_entropy <loss>=0.412300",
        MetricLines.epochLine(3, "train", Metric.CROSS_ENTROPY, 0.4123));
    assertEquals(
        "#quality_metric: host=algo-1, epoch=12, validation accuracy <score>=0.812000",
        MetricLines.epochLine(12, "validation", Metric.ACCURACY, 0.812));
  }

  @Test
  void testLineHasNoEpochAndThroughputHasOneDecimal() {
    assertEquals(
        "#quality_metric: host=algo-1, test mean_squared_error <loss>=0.901200",
        MetricLines.finalLine("test", Metric.MEAN_SQUARED_ERROR, 0.9012));
    assertEquals(
        "#throughput_metric: host=algo-1, train throughput=12345.7 records/second",
        MetricLines.throughputLine(12345.66));
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
  }
}
