package dev.o2v.benchmarks.quality;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/** Spearman's rank correlation: the Pearson correlation of average ranks (ties share a rank). */
public final class RankCorrelation {

  private RankCorrelation() {}

  /**
   * Spearman's rho of two equally long samples; 0 when either sample is constant.
   *
   * @throws IllegalArgumentException when the lengths differ or are below 2
   */
  public static double spearman(double[] a, double[] b) {
    if (a.length != b.length || a.length < 2) {
      throw new IllegalArgumentException(
          "spearman needs two samples of equal length >= 2, found " + a.length + " and "
              + b.length);
    }
    return pearson(averageRanks(a), averageRanks(b));
  }

  /** Ranks 1..n in input order; tied values share the mean of the ranks they span. */
  static double[] averageRanks(double[] values) {
    Integer[] order =
        IntStream.range(0, values.length).boxed().toArray(Integer[]::new);
    Arrays.sort(order, Comparator.comparingDouble(i -> values[i]));
    double[] ranks = new double[values.length];
    int i = 0;
    while (i < order.length) {
      int j = i;
      while (j + 1 < order.length && values[order[j + 1]] == values[order[i]]) {
        j++;
      }
      double rank = (i + j) / 2.0 + 1.0;
      for (int k = i; k <= j; k++) {
        ranks[order[k]] = rank;
      }
      i = j + 1;
    }
    return ranks;
  }

  private static double pearson(double[] a, double[] b) {
    double meanA = Arrays.stream(a).average().orElse(0);
    double meanB = Arrays.stream(b).average().orElse(0);
    double cov = 0;
    double varA = 0;
    double varB = 0;
    for (int k = 0; k < a.length; k++) {
      cov += (a[k] - meanA) * (b[k] - meanB);
      varA += (a[k] - meanA) * (a[k] - meanA);
      varB += (b[k] - meanB) * (b[k] - meanB);
    }
    return varA > 0 && varB > 0 ? cov / Math.sqrt(varA * varB) : 0;
  }
}
