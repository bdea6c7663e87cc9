package dev.o2v.train.metrics;

import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * Writes metric lines in SageMaker's format, so log scrapers and metric definitions written for
 * it keep working. Epochs are numbered from 0; numbers are printed as SageMaker prints them
 * ({@link FloatText}).
 *
 * <pre>
 * #quality_metric: host=algo-1, epoch=0, train cross_entropy &lt;loss&gt;=0.3009043032168976
 * #quality_metric: host=algo-1, epoch=0, validation accuracy &lt;score&gt;=0.9150225105932204
 * #progress_metric: host=algo-1, completed 5.0 % of epochs
 * #throughput_metric: host=algo-1, train throughput=13832.433437532603 records/second
 * #test_score (algo-1) : ('perplexity', 1.1981925797945063)
 * #quality_metric: host=algo-1, test cross_entropy &lt;loss&gt;=0.18081413600909507
 * </pre>
 */
public final class MetricLines {

  private static final String HOST = "algo-1";
  private final PrintWriter out;

  /** Lines go to {@code out} (stdout in the CLI). */
  public MetricLines(PrintStream out) {
    this(new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8)));
  }

  /** Lines go to {@code out}. */
  public MetricLines(PrintWriter out) {
    this.out = out;
  }

  /** One line per metric of an epoch's evaluation on {@code channel} (train, validation). */
  public void epoch(int epoch, String channel, Map<Metric, Double> values) {
    values.forEach((metric, value) -> out.println(epochLine(epoch, channel, metric, value)));
    out.flush();
  }

  /**
   * The share of epochs done after epoch {@code epoch} (numbered from 0) of {@code epochs}, or
   * SageMaker's line for a run that stopped early there.
   */
  public void progress(int epoch, int epochs, boolean stoppedEarly) {
    out.println(stoppedEarly ? stoppedEarlyLine() : progressLine(epoch, epochs));
    out.flush();
  }

  /**
   * The test channel's scores, one {@code #test_score} line each, then its quality lines: what
   * SageMaker prints after scoring the kept model on the test channel.
   */
  public void test(Map<Metric, Double> scores, Map<Metric, Double> qualities) {
    scores.forEach((metric, value) -> out.println(testScoreLine(metric, value)));
    qualities.forEach((metric, value) -> out.println(finalLine("test", metric, value)));
    out.flush();
  }

  /** One line per metric of a final evaluation on {@code channel}, with no epoch. */
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
        HOST, channel, metricName, kind, FloatText.of(value)));
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
        FloatText.of(value));
  }

  static String finalLine(String channel, Metric metric, double value) {
    return String.format(
        Locale.ROOT,
        "#quality_metric: host=%s, %s %s <%s>=%s",
        HOST,
        channel,
        metric.metricName(),
        metric.kind(),
        FloatText.of(value));
  }

  static String progressLine(int epoch, int epochs) {
    return String.format(Locale.ROOT, "#progress_metric: host=%s, completed %s %% of epochs",
        HOST, FloatText.of(100.0 * (epoch + 1) / epochs));
  }

  static String stoppedEarlyLine() {
    return "#progress_metric: host=" + HOST + ", completed 100 % epochs";
  }

  static String testScoreLine(Metric metric, double value) {
    return String.format(Locale.ROOT, "#test_score (%s) : ('%s', %s)",
        HOST, metric.metricName(), FloatText.of(value));
  }

  static String throughputLine(double recordsPerSecond) {
    return String.format(
        Locale.ROOT,
        "#throughput_metric: host=%s, train throughput=%s records/second",
        HOST,
        FloatText.of(recordsPerSecond));
  }
}
