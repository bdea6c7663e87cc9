package dev.o2v.benchmarks;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** Draws the scaling curves as PNG line charts (log-log axes), one file per curve. */
public final class Plots {

  private static final Color[] COLORS = {
    new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0x9467bd)
  };

  private Plots() {}

  /**
   * Writes {@code scaling-CURVE.png} into {@code dir} for every curve in {@code points}.
   *
   * @return the files written
   */
  public static List<Path> write(List<ScalingSuite.Point> points, Path dir, String subtitle)
      throws IOException {
    Map<String, List<ScalingSuite.Point>> byCurve = new LinkedHashMap<>();
    for (ScalingSuite.Point p : points) {
      byCurve.computeIfAbsent(p.curve(), k -> new ArrayList<>()).add(p);
    }
    List<Path> files = new ArrayList<>();
    for (Map.Entry<String, List<ScalingSuite.Point>> entry : byCurve.entrySet()) {
      Path file = dir.resolve("scaling-" + entry.getKey() + ".png");
      BitmapEncoder.saveBitmap(chart(entry.getKey(), entry.getValue(), subtitle), file.toString(),
          BitmapEncoder.BitmapFormat.PNG);
      files.add(file);
    }
    return files;
  }

  private static XYChart chart(String curve, List<ScalingSuite.Point> points, String subtitle) {
    XYChart chart =
        new XYChartBuilder()
            .width(900)
            .height(600)
            .title("Training step time vs " + axisName(curve) + " (" + subtitle + ")")
            .xAxisTitle(axisName(curve))
            .yAxisTitle("median step time (ms)")
            .build();
    Styler styler = chart.getStyler();
    chart.getStyler().setXAxisLogarithmic(true);
    chart.getStyler().setYAxisLogarithmic(true);
    chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
    styler.setChartBackgroundColor(Color.WHITE);
    chart.getStyler().setPlotGridLinesColor(new Color(0xdddddd));
    Map<String, List<ScalingSuite.Point>> bySeries = new LinkedHashMap<>();
    for (ScalingSuite.Point p : points) {
      bySeries.computeIfAbsent(p.series(), k -> new ArrayList<>()).add(p);
    }
    Map<String, Color> colorOfEncoder = new LinkedHashMap<>();
    for (Map.Entry<String, List<ScalingSuite.Point>> entry : bySeries.entrySet()) {
      String series = entry.getKey();
      String encoder = series.substring(series.indexOf(' ') + 1);
      Color color =
          colorOfEncoder.computeIfAbsent(encoder, k -> COLORS[colorOfEncoder.size() % COLORS.length]);
      double[] x = entry.getValue().stream().mapToDouble(ScalingSuite.Point::x).toArray();
      double[] y = entry.getValue().stream().mapToDouble(ScalingSuite.Point::stepMillis).toArray();
      XYSeries s = chart.addSeries(series, x, y);
      s.setLineColor(color);
      s.setMarkerColor(color);
      boolean reference = series.startsWith("pytorch");
      s.setMarker(reference ? SeriesMarkers.DIAMOND : SeriesMarkers.CIRCLE);
      s.setLineStyle(
          reference
              ? new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                  new float[] {6f, 4f}, 0f)
              : new BasicStroke(2.5f));
    }
    return chart;
  }

  private static String axisName(String curve) {
    return switch (curve) {
      case "batch" -> "batch size (records)";
      case "length" -> "sequence length (tokens)";
      case "vocab" -> "vocabulary size (rows per table)";
      default -> curve;
    };
  }
}
