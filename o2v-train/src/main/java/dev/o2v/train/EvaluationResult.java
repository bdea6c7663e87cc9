package dev.o2v.train;

import dev.o2v.core.hp.OutputLayer;
import dev.o2v.train.metrics.Metric;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Metrics of a model on a set of records.
 *
 * @param records how many records were scored
 * @param lossSum sum of per-record losses (cross-entropy or squared error)
 * @param correct records whose arg-max class equals the label (softmax only)
 */
public record EvaluationResult(long records, double lossSum, double correct) {

  /** Mean loss per record. */
  public double meanLoss() {
    return records == 0 ? Double.NaN : lossSum / records;
  }

  /** Fraction of correctly classified records. */
  public double accuracy() {
    return records == 0 ? Double.NaN : correct / records;
  }

  /** The metrics of the quality lines for {@code output}, the loss first. */
  public Map<Metric, Double> metrics(OutputLayer output) {
    return valuesOf(Metric.forOutput(output));
  }

  /** The metrics of test-score and log lines for {@code output}: perplexity too, for softmax. */
  public Map<Metric, Double> scores(OutputLayer output) {
    return valuesOf(Metric.scoresFor(output));
  }

  private Map<Metric, Double> valuesOf(Iterable<Metric> wanted) {
    Map<Metric, Double> metrics = new LinkedHashMap<>();
    for (Metric metric : wanted) {
      metrics.put(metric, switch (metric) {
        case ACCURACY -> accuracy();
        case PERPLEXITY -> Math.exp(meanLoss());
        case CROSS_ENTROPY, MEAN_SQUARED_ERROR -> meanLoss();
      });
    }
    return metrics;
  }

  /** This result plus another batch's sums. */
  public EvaluationResult plus(long moreRecords, double moreLoss, double moreCorrect) {
    return new EvaluationResult(records + moreRecords, lossSum + moreLoss, correct + moreCorrect);
  }
}
