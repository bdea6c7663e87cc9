package dev.o2v.train.metrics;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/** Metrics as a short human-readable list for log lines, e.g. {@code perplexity 1.168, ...}. */
public final class MetricSummary {

  private MetricSummary() {}

  /** {@code name value} pairs in the map's order, four significant digits each. */
  public static String of(Map<Metric, Double> values) {
    StringJoiner joined = new StringJoiner(", ");
    values.forEach((metric, value) -> joined.add(metric.metricName() + " " + number(value)));
    return joined.toString();
  }

  private static String number(double value) {
    return Double.isFinite(value)
        ? new BigDecimal(value).round(new MathContext(4)).stripTrailingZeros().toPlainString()
        : String.valueOf(value).toLowerCase(Locale.ROOT);
  }
}
