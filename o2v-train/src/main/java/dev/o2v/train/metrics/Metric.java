package dev.o2v.train.metrics;

import dev.o2v.core.hp.OutputLayer;
import java.util.List;

/** A quality metric with its SageMaker name and kind ({@code <loss>} or {@code <score>}). */
public enum Metric {
  /** Mean softmax cross-entropy (natural log). */
  CROSS_ENTROPY("cross_entropy", "loss"),
  /** Fraction of records whose arg-max class equals the label. */
  ACCURACY("accuracy", "score"),
  /** The true mean of squared errors (not half of it). */
  MEAN_SQUARED_ERROR("mean_squared_error", "loss");

  private final String metricName;
  private final String kind;

  Metric(String metricName, String kind) {
    this.metricName = metricName;
    this.kind = kind;
  }

  /** The name in metric lines, e.g. {@code cross_entropy}. */
  public String metricName() {
    return metricName;
  }

  /** {@code loss} (lower is better) or {@code score} (higher is better). */
  public String kind() {
    return kind;
  }

  /** The metrics reported for a head, the loss first. */
  public static List<Metric> forOutput(OutputLayer output) {
    return output == OutputLayer.SOFTMAX
        ? List.of(CROSS_ENTROPY, ACCURACY)
        : List.of(MEAN_SQUARED_ERROR);
  }
}
