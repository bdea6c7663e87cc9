package dev.o2v.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class StatsTest {

  @Test
  void medianOfAnOddCountIsTheMiddleValueWhateverTheOrder() {
    double m = Stats.median(new double[] {9, 1, 5});
    assertEquals(5, m, "median of {9, 1, 5} was " + m);
  }

  @Test
  void medianOfAnEvenCountIsTheMeanOfTheTwoMiddleValues() {
    double m = Stats.median(new double[] {4, 1, 3, 100});
    assertEquals(3.5, m, "median of {4, 1, 3, 100} was " + m);
  }

  @Test
  void medianDoesNotReorderItsInput() {
    double[] values = {3, 1, 2};
    Stats.median(values);
    assertEquals(3, values[0], "first value after median: " + values[0]);
  }

  @Test
  void emptyInputIsRejected() {
    assertThrows(IllegalArgumentException.class, () -> Stats.median(new double[0]));
  }

  @Test
  void ratioIsNotANumberWithoutAPositiveDenominator() {
    assertTrue(Double.isNaN(Stats.ratio(1, 0)), "ratio 1/0 was " + Stats.ratio(1, 0));
    assertTrue(Double.isNaN(Stats.ratio(1, Double.NaN)), "ratio 1/NaN was not NaN");
    assertEquals(0.5, Stats.ratio(1, 2), "ratio 1/2");
  }

  @Test
  void rateDividesWindowRecordsByWindowSeconds() {
    Rate rate = Rate.of(new long[] {100, 300, 200}, new double[] {1, 1, 4}, new double[] {7, 9});
    assertEquals(100, rate.median(), "median of 100, 300, 50 records/s was " + rate.median());
    assertEquals(8, rate.medianStepMillis(), "median step of 7 and 9 ms");
  }
}
