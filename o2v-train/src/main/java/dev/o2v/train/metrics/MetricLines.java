package dev.o2v.train.metrics;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;

/**
 * Writes metric lines in SageMaker's format, so log scrapers written for it keep working.
 *
 * <pre>
 * #quality_metric: host=algo-1, epoch=3, train cross_entropy &lt;loss&gt;=0.4123
 * #quality_metric: host=algo-1, test mean_squared_error &lt;loss&gt;=0.9012
 * #throughput_metric: host=algo-1, train throughput=12345.6 records/second
 * </pre>
 */
public final class MetricLines {

  private static final String HOST = "algo-1";
  private final PrintStream out;

  /** Lines go to {@code out} (stdout in the CLI). */
  public MetricLines(PrintStream out) {
    this.out = out;
  }

  /** One line per metric of an epoch's evaluation on {@code channel} (train, validation). */
  public void epoch(int epoch, String channel, Map<Metric, Double> values) {
    values.forEach((metric, value) -> out.println(epochLine(epoch, channel, metric, value)));
    out.flush();
  }

  /** One line per metric of a final evaluation (the test channel), with no epoch. */
  public void fin(String channel, Map<Metric, Double> values) {
    values.forEach((metric, value) -> out.println(finalLine(channel, metric, value)));
    out.flush();
  }

  /**
   * One line of a final evaluation for a metric outside {@link Metric}, e.g. {@code test
   * hits@10 <score>=0.48}.
   *
   * @param kind {@code loss} (lower is better) or {@code score}
   */
  public void fin(String channel, String metricName, String kind, double value) {
    out.println(String.format(Locale.ROOT, "#quality_metric: host=%s, %s %s <%s>=%s",
        HOST, channel, metricName, kind, number(value)));
    out.flush();
  }

  /** The training throughput of one epoch. */
  public void throughput(double recordsPerSecond) {
    out.println(throughputLine(recordsPerSecond));
    out.flush();
  }

  static String epochLine(int epoch, String channel, Metric metric, double value) {
    return String.format(
        Locale.ROOT,
        "#quality_metric: host=%s, epoch=%d, %s %s <%s>=%s",
        HOST,
        epoch,
        channel,
        metric.metricName(),
        metric.kind(),
        number(value));
  }

  static String finalLine(String channel, Metric metric, double value) {
    return String.format(
        Locale.ROOT,
        "#quality_metric: host=%s, %s %s <%s>=%s",
        HOST,
        channel,
        metric.metricName(),
        metric.kind(),
        number(value));
  }

  static String throughputLine(double recordsPerSecond) {
    return String.format(
        Locale.ROOT,
        "#throughput_metric: host=%s, train throughput=%.1f records/second",
        HOST,
        recordsPerSecond);
  }

  private static String number(double value) {
    return Double.isFinite(value) ? String.format(Locale.ROOT, "%.6g", value) : "nan";
  }
}
