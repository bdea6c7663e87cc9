package dev.o2v.train.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.o2v.core.hp.OutputLayer;
import dev.o2v.train.EvaluationResult;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricSummaryTest {

  @Test
  void softmaxScoresArePerplexityCrossEntropyAndAccuracyWithPerplexityTheExponentOfTheLoss() {
    // Four records, loss sum 0.62 (mean 0.155), three correct.
    EvaluationResult result = new EvaluationResult(4, 0.62, 3);
    Map<Metric, Double> scores = result.scores(OutputLayer.SOFTMAX);
    assertEquals(Math.exp(0.155), scores.get(Metric.PERPLEXITY), 1e-12, scores.toString());
    assertEquals("perplexity 1.168, cross_entropy 0.155, accuracy 0.75",
        MetricSummary.of(scores));
  }

  @Test
  void regressionHasOnlyTheMeanSquaredError() {
    Map<Metric, Double> scores =
        new EvaluationResult(2, 1.8, 0).scores(OutputLayer.MEAN_SQUARED_ERROR);
    assertEquals("mean_squared_error 0.9", MetricSummary.of(scores));
  }

  @Test
  void anEmptyChannelShowsNan() {
    assertEquals("mean_squared_error nan",
        MetricSummary.of(new EvaluationResult(0, 0, 0).scores(OutputLayer.MEAN_SQUARED_ERROR)));
  }
}
