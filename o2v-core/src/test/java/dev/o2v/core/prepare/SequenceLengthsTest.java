package dev.o2v.core.prepare;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SequenceLengthsTest {

  @Test
  void theNinetyNinthPercentileIgnoresTheLongestOnePercent() {
    int[] lengths = new int[200];
    for (int i = 0; i < 200; i++) {
      lengths[i] = i < 198 ? 10 : 500;
    }
    assertEquals(10, SequenceLengths.percentile99(lengths), "rank ceil(198) is the last 10");
    lengths[197] = 12;
    assertEquals(12, SequenceLengths.percentile99(lengths));
  }

  @Test
  void lengthsAreClampedToTheHyperparameterRange() {
    assertEquals(1, SequenceLengths.percentile99(new int[0]));
    assertEquals(3, SequenceLengths.percentile99(new int[] {3}));
    assertEquals(5000, SequenceLengths.percentile99(new int[] {9000}));
  }
}
