package dev.o2v.train.metrics;

import dev.o2v.core.hp.OutputLayer;
import java.util.List;

/** A quality metric with its SageMaker name and kind ({@code <loss>} or {@code <score>}). */
public enum Metric {
  /** {@code exp(cross_entropy)}: reported in log lines and test scores, not in quality lines. */
  PERPLEXITY("perplexity", "loss"),
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

  /** The metrics of the quality lines and of {@code metrics.json} for a head, the loss first. */
  public static List<Metric> forOutput(OutputLayer output) {
    return output == OutputLayer.SOFTMAX
        ? List.of(CROSS_ENTROPY, ACCURACY)
        : List.of(MEAN_SQUARED_ERROR);
  }

  /** The metrics of the test-score lines and of the per-epoch log line: perplexity first. */
  public static List<Metric> scoresFor(OutputLayer output) {
    return output == OutputLayer.SOFTMAX
        ? List.of(PERPLEXITY, CROSS_ENTROPY, ACCURACY)
        : List.of(MEAN_SQUARED_ERROR);
  }
}
