package dev.o2v.benchmarks;

import java.util.Arrays;

/** Order statistics of repeated measurements (median, minimum, maximum). */
public final class Stats {

  private Stats() {}

  /**
   * The median: the middle value, or the mean of the two middle values for an even count.
   *
   * @throws IllegalArgumentException for an empty array
   */
  public static double median(double[] values) {
    double[] sorted = sorted(values);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  /** The smallest value. */
  public static double min(double[] values) {
    return sorted(values)[0];
  }

  /** The largest value. */
  public static double max(double[] values) {
    double[] sorted = sorted(values);
    return sorted[sorted.length - 1];
  }

  /** {@code numerator / denominator}, or NaN when the denominator is not a positive number. */
  public static double ratio(double numerator, double denominator) {
    return denominator > 0 ? numerator / denominator : Double.NaN;
  }

  private static double[] sorted(double[] values) {
    if (values.length == 0) {
      throw new IllegalArgumentException("need at least one measurement, found none");
    }
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted;
  }
}
