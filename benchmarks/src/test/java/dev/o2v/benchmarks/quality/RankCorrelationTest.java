package dev.o2v.benchmarks.quality;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class RankCorrelationTest {

  @Test
  void anIncreasingTransformOfTheTruthCorrelatesPerfectly() {
    double[] truth = {0.5, 2.0, 1.0, 4.5, 3.0};
    double[] predicted = new double[truth.length];
    for (int i = 0; i < truth.length; i++) {
      predicted[i] = Math.exp(truth[i]) - 7;
    }
    assertEquals(1.0, RankCorrelation.spearman(predicted, truth), 1e-12);
  }

  @Test
  void aReversedOrderCorrelatesMinusOne() {
    assertEquals(-1.0, RankCorrelation.spearman(new double[] {1, 2, 3, 4},
        new double[] {8, 6, 4, 2}), 1e-12);
  }

  @Test
  void tiedValuesShareTheMeanOfTheirRanks() {
    assertArrayEquals(new double[] {1.5, 1.5, 3.0, 5.0, 5.0, 5.0},
        RankCorrelation.averageRanks(new double[] {2, 2, 3, 7, 7, 7}), 1e-12);
  }

  @Test
  void withTiesItIsPearsonOfTheAverageRanks() {
    // Ranks a = (1, 2.5, 2.5, 4), b = (1, 2, 4, 3): Pearson = 3 / sqrt(4.5 * 5).
    double rho =
        RankCorrelation.spearman(new double[] {1, 2, 2, 3}, new double[] {10, 20, 40, 30});
    assertEquals(3 / Math.sqrt(4.5 * 5), rho, 1e-12, "measured " + rho);
  }

  @Test
  void samplesOfDifferentLengthsAreRefused() {
    assertThrows(IllegalArgumentException.class,
        () -> RankCorrelation.spearman(new double[] {1, 2}, new double[] {1, 2, 3}));
  }
}
