package dev.o2v.train.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FloatTextTest {

  @Test
  void numbersLookLikeTheOnesInSageMakersLog() {
    assertEquals("0.20847056439872516", FloatText.of(0.20847056439872516));
    assertEquals("5.0", FloatText.of(5.0));
    assertEquals("100.0", FloatText.of(100.0));
    assertEquals("13740.775960639015", FloatText.of(13740.775960639015));
    assertEquals("-2.5", FloatText.of(-2.5));
    assertEquals("0.0", FloatText.of(0.0));
  }

  @Test
  void tinyAndHugeNumbersUseAnExponentOfAtLeastTwoDigits() {
    assertEquals("0.0001", FloatText.of(1e-4));
    assertEquals("1e-05", FloatText.of(1e-5));
    assertEquals("1.5e-05", FloatText.of(1.5e-5));
    assertEquals("1234567890123456.0", FloatText.of(1234567890123456.0));
    assertEquals("1e+16", FloatText.of(1e16));
    assertEquals("1.25e+100", FloatText.of(1.25e100));
  }

  @Test
  void nonFiniteValuesAreSpelledAsSageMakerDoes() {
    assertEquals("nan", FloatText.of(Double.NaN));
    assertEquals("inf", FloatText.of(Double.POSITIVE_INFINITY));
    assertEquals("-inf", FloatText.of(Double.NEGATIVE_INFINITY));
  }

  @Test
  void everyPrintedNumberReadsBackAsTheSameDouble() {
    SplittableRandom random = new SplittableRandom(5);
    for (int i = 0; i < 10_000; i++) {
      double value = Double.longBitsToDouble(random.nextLong());
      if (Double.isFinite(value)) {
        String text = FloatText.of(value);
        assertEquals(value, Double.parseDouble(text), 0.0, text);
      }
    }
  }
}
