package dev.o2v.benchmarks;

import dev.o2v.core.synthetic.PairExample;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A biased matrix factorisation fitted by alternating ridge regressions (ALS), the classical
 * yardstick for a rating task: {@code r(u, i) ≈ μ + b_u + b_i + p_u · q_i}.
 *
 * <p>It tells what a rating task lets a model reach: with the task's true rank and a tuned ridge
 * penalty it is close to the best any estimator can do from the same training ratings, so a
 * trained network is judged against it as well as against the noise floor. Rank 0 is the
 * bias-only model. Records carry one user id in {@code in0} and one item id in {@code in1}.
 */
final class FactorizationBaseline {

  private final int users;
  private final int items;
  private final int rank;
  private final double ridge;
  private double mean;
  private final double[][] user;
  private final double[][] item;

  /**
   * An unfitted model.
   *
   * @param users number of user ids
   * @param items number of item ids
   * @param rank factor dimension (0 for biases only)
   * @param ridge L2 penalty on each user's and item's factors and bias
   */
  FactorizationBaseline(int users, int items, int rank, double ridge) {
    this.users = users;
    this.items = items;
    this.rank = rank;
    this.ridge = ridge;
    // Each row holds [factors..., own bias]; the partner's bias enters as a constant-1 feature.
    this.user = new double[users][rank + 1];
    this.item = new double[items][rank + 1];
  }

  /** Fits the model to {@code train} with {@code sweeps} alternating passes. */
  FactorizationBaseline fit(List<PairExample> train, int sweeps, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    for (double[][] table : new double[][][] {user, item}) {
      for (double[] row : table) {
        for (int k = 0; k < rank; k++) {
          row[k] = 0.1 * (random.nextDouble() - 0.5);
        }
      }
    }
    mean = train.stream().mapToDouble(PairExample::label).average().orElse(0);
    List<List<PairExample>> byUser = group(train, users, true);
    List<List<PairExample>> byItem = group(train, items, false);
    for (int sweep = 0; sweep < sweeps; sweep++) {
      solveSide(byUser, user, item, true);
      solveSide(byItem, item, user, false);
    }
    return this;
  }

  /** The predicted rating of a record. */
  double predict(PairExample e) {
    double[] p = user[e.in0()[0]];
    double[] q = item[e.in1()[0]];
    double dot = 0;
    for (int k = 0; k < rank; k++) {
      dot += p[k] * q[k];
    }
    return mean + p[rank] + q[rank] + dot;
  }

  /** The mean squared error on {@code examples}. */
  double meanSquaredError(List<PairExample> examples) {
    double sum = 0;
    for (PairExample e : examples) {
      double d = predict(e) - e.label();
      sum += d * d;
    }
    return sum / examples.size();
  }

  /** The mean squared error of always predicting the training mean. */
  static double globalMeanError(List<PairExample> train, List<PairExample> test) {
    double mu = train.stream().mapToDouble(PairExample::label).average().orElse(0);
    return test.stream().mapToDouble(e -> (e.label() - mu) * (e.label() - mu)).average()
        .orElse(0);
  }

  private static List<List<PairExample>> group(List<PairExample> train, int n, boolean byUser) {
    List<List<PairExample>> groups = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      groups.add(new ArrayList<>());
    }
    for (PairExample e : train) {
      groups.get(byUser ? e.in0()[0] : e.in1()[0]).add(e);
    }
    return groups;
  }

  /** Ridge regression of every row of {@code solved} on the fixed rows of {@code fixed}. */
  private void solveSide(
      List<List<PairExample>> groups, double[][] solved, double[][] fixed, boolean usersSolved) {
    int d = rank + 1;
    for (int row = 0; row < solved.length; row++) {
      double[][] a = new double[d][d];
      double[] b = new double[d];
      for (PairExample e : groups.get(row)) {
        double[] other = fixed[usersSolved ? e.in1()[0] : e.in0()[0]];
        // Features: the partner's factors, then 1 for this row's own bias.
        double target = e.label() - mean - other[rank];
        for (int r = 0; r < d; r++) {
          double fr = r < rank ? other[r] : 1.0;
          b[r] += fr * target;
          for (int c = 0; c < d; c++) {
            a[r][c] += fr * (c < rank ? other[c] : 1.0);
          }
        }
      }
      for (int r = 0; r < d; r++) {
        a[r][r] += ridge;
      }
      solved[row] = solve(a, b);
    }
  }

  /** Solves the symmetric positive-definite system {@code a x = b} by Gaussian elimination. */
  private static double[] solve(double[][] a, double[] b) {
    int n = b.length;
    for (int p = 0; p < n; p++) {
      for (int r = p + 1; r < n; r++) {
        double f = a[r][p] / a[p][p];
        for (int c = p; c < n; c++) {
          a[r][c] -= f * a[p][c];
        }
        b[r] -= f * b[p];
      }
    }
    double[] x = new double[n];
    for (int r = n - 1; r >= 0; r--) {
      double s = b[r];
      for (int c = r + 1; c < n; c++) {
        s -= a[r][c] * x[c];
      }
      x[r] = s / a[r][r];
    }
    return x;
  }
}
