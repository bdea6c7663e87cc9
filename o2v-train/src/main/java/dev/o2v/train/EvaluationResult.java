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

  /** The metrics reported for {@code output}, the loss first. */
  public Map<Metric, Double> metrics(OutputLayer output) {
    Map<Metric, Double> metrics = new LinkedHashMap<>();
    for (Metric metric : Metric.forOutput(output)) {
      metrics.put(metric, metric == Metric.ACCURACY ? accuracy() : meanLoss());
    }
    return metrics;
  }

  /** This result plus another batch's sums. */
  public EvaluationResult plus(long moreRecords, double moreLoss, double moreCorrect) {
    return new EvaluationResult(records + moreRecords, lossSum + moreLoss, correct + moreCorrect);
  }
}
