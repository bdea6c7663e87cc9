package dev.o2v.train.stopping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class EarlyStoppingTest {

  @Test
  void firstEpochAlwaysImproves() {
    EarlyStopping stopping = new EarlyStopping(2, 0.01);
    EarlyStopping.Decision d = stopping.observe(1, 5.0);
    assertTrue(d.improved());
    assertFalse(d.stop());
    assertEquals(1, d.bestEpoch());
  }

  @Test
  void smallerGainThanToleranceIsNoImprovementAndPatienceStops() {
    EarlyStopping stopping = new EarlyStopping(2, 0.1);
    stopping.observe(1, 1.0);
    EarlyStopping.Decision second = stopping.observe(2, 0.95);
    assertFalse(second.improved(), "0.05 < tolerance 0.1");
    assertFalse(second.stop());
    EarlyStopping.Decision third = stopping.observe(3, 0.92);
    assertFalse(third.improved());
    assertTrue(third.stop(), "two epochs without improvement with patience 2");
    assertEquals(1, third.bestEpoch());
    assertEquals(1.0, third.bestLoss());
  }

  @Test
  void gainEqualToToleranceImprovesAndResetsPatience() {
    EarlyStopping stopping = new EarlyStopping(2, 0.25);
    stopping.observe(1, 1.0);
    stopping.observe(2, 0.9);
    EarlyStopping.Decision d = stopping.observe(3, 0.75);
    assertTrue(d.improved(), "1.0 - 0.75 == tolerance");
    assertEquals(0, stopping.state().epochsWithoutImprovement());
    assertEquals(3, d.bestEpoch());
  }

  @Test
  void nanLossNeverImproves() {
    EarlyStopping stopping = new EarlyStopping(1, 0.01);
    stopping.observe(1, 1.0);
    assertTrue(stopping.observe(2, Double.NaN).stop());
  }

  @Test
  void restoredStateDecidesLikeTheOriginal() {
    EarlyStopping a = new EarlyStopping(3, 0.01);
    a.observe(1, 1.0);
    a.observe(2, 1.0);
    EarlyStopping b = new EarlyStopping(3, 0.01);
    b.restore(a.state());
    assertEquals(a.observe(3, 1.0), b.observe(3, 1.0));
  }
}
