package dev.o2v.cli.report;

import dev.o2v.train.EpochRecord;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.function.Function;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Draws per-epoch curves as PNG images, with the best epoch and the early-stopping epoch marked by
 * vertical lines.
 */
final class EpochCharts {

  /** Colour of the training curve. */
  static final Color TRAIN = new Color(0x1f77b4);
  /** Colour of the validation curve. */
  static final Color VALIDATION = new Color(0xff7f0e);
  /** Colour of the best-epoch line. */
  static final Color BEST = new Color(0x2ca02c);
  /** Colour of the early-stopping line. */
  static final Color STOP = new Color(0xd62728);

  private static final int WIDTH = 720;
  private static final int HEIGHT = 380;

  private final List<EpochRecord> epochs;
  private final int bestEpoch;
  private final OptionalInt stopEpoch;

  /**
   * @param epochs the run's epochs
   * @param bestEpoch the epoch whose weights the model holds, or -1
   * @param stopEpoch the epoch after which early stopping ended the run, if it did
   */
  EpochCharts(List<EpochRecord> epochs, int bestEpoch, OptionalInt stopEpoch) {
    this.epochs = List.copyOf(epochs);
    this.bestEpoch = bestEpoch;
    this.stopEpoch = stopEpoch;
  }

  /** The training and validation curves of one metric. */
  byte[] metric(String name) throws IOException {
    XYChart chart = chart(name + " per epoch", name);
    addSeries(chart, "train", TRAIN, r -> r.train().get(name));
    addSeries(chart, "validation", VALIDATION, r -> r.validation().get(name));
    markEpochs(chart);
    return encode(chart);
  }

  /** Training records per second of each epoch. */
  byte[] throughput() throws IOException {
    XYChart chart = chart("Training throughput per epoch", "records/s");
    chart.getStyler().setYAxisMin(0.0); // a rate read against zero, not against its own dip
    addSeries(chart, "records/s", TRAIN, r -> r.throughput());
    markEpochs(chart);
    return encode(chart);
  }

  private XYChart chart(String title, String yAxis) {
    XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title)
        .xAxisTitle("epoch (from 0)").yAxisTitle(yAxis).build();
    XYStyler styler = chart.getStyler();
    styler.setChartBackgroundColor(Color.WHITE);
    styler.setPlotGridLinesColor(new Color(0xdddddd));
    styler.setLegendPosition(Styler.LegendPosition.OutsideE);
    styler.setXAxisDecimalPattern("#0");
    int last = epochs.isEmpty() ? 0 : epochs.get(epochs.size() - 1).epoch();
    // Whole epochs only, with room either side so a one-epoch run still has an axis.
    chart.getStyler().setXAxisMin(-0.5);
    chart.getStyler().setXAxisMax(last + 0.5);
    chart.getStyler().setXAxisTickMarkSpacingHint(60);
    return chart;
  }

  private void addSeries(XYChart chart, String name, Color color,
      Function<EpochRecord, Double> value) {
    List<Double> x = new ArrayList<>();
    List<Double> y = new ArrayList<>();
    for (EpochRecord record : epochs) {
      Double v = value.apply(record);
      if (v != null && Double.isFinite(v)) {
        x.add((double) record.epoch());
        y.add(v);
      }
    }
    if (x.isEmpty()) {
      return;
    }
    XYSeries series = chart.addSeries(name, x, y);
    series.setLineColor(color);
    series.setMarkerColor(color);
    series.setMarker(SeriesMarkers.CIRCLE);
    series.setLineStyle(new BasicStroke(2f));
  }

  /**
   * Vertical lines at the best epoch and at the early-stopping epoch, drawn as series spanning the
   * plotted values so that the legend names them.
   */
  private void markEpochs(XYChart chart) {
    double low = Double.POSITIVE_INFINITY;
    double high = Double.NEGATIVE_INFINITY;
    for (XYSeries series : chart.getSeriesMap().values()) {
      for (double v : series.getYData()) {
        low = Math.min(low, v);
        high = Math.max(high, v);
      }
    }
    if (low > high) {
      return; // nothing plotted
    }
    if (low == high) {
      double pad = Math.max(Math.abs(low) * 0.05, 1e-6);
      low -= pad;
      high += pad;
    }
    if (bestEpoch >= 0) {
      verticalLine(chart, "best epoch " + bestEpoch, bestEpoch, low, high, BEST);
    }
    if (stopEpoch.isPresent()) {
      verticalLine(chart, "stopped early after epoch " + stopEpoch.getAsInt(),
          stopEpoch.getAsInt(), low, high, STOP);
    }
  }

  private static void verticalLine(XYChart chart, String name, int epoch, double low,
      double high, Color color) {
    XYSeries line = chart.addSeries(name, new double[] {epoch, epoch}, new double[] {low, high});
    line.setLineColor(color);
    line.setMarker(SeriesMarkers.NONE);
    line.setLineStyle(new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
        new float[] {6f, 4f}, 0f));
  }

  private static byte[] encode(XYChart chart) throws IOException {
    return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
  }

  /** Metric names of the training and validation maps, in order of first appearance. */
  static List<String> metricNames(List<EpochRecord> epochs) {
    List<String> names = new ArrayList<>();
    for (EpochRecord record : epochs) {
      for (Map<String, Double> metrics : List.of(record.train(), record.validation())) {
        metrics.keySet().stream().sorted().filter(n -> !names.contains(n)).forEach(names::add);
      }
    }
    return names;
  }
}
