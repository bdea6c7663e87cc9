package dev.o2v.core.prepare;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SplitPlanTest {

  @Test
  void partsGetRoundedSharesThatAddUpToAllRows() {
    SplitPlan plan = SplitPlan.parse("train=0.8, validation=0.1,test=0.1");
    assertEquals(List.of("train", "validation", "test"), plan.names());
    int[] part = plan.assign(1001, new SplittableRandom(1));
    long[] counts = new long[3];
    for (int p : part) {
      counts[p]++;
    }
    assertArrayEquals(new long[] {801, 100, 100}, counts,
        "round(800.8)=801, round(900.9)-801=100, the rest 1001-901: " + Arrays.toString(counts));
  }

  @Test
  void theSameSeedGivesTheSameSplitAndAnotherSeedAnother() {
    SplitPlan plan = SplitPlan.parse("train=0.5,validation=0.5");
    int[] a = plan.assign(200, new SplittableRandom(7));
    assertArrayEquals(a, plan.assign(200, new SplittableRandom(7)));
    assertFalse(Arrays.equals(a, plan.assign(200, new SplittableRandom(8))));
  }

  @Test
  void badSplitsNameTheProblem() {
    assertEquals("--split fractions must add up to 1, found 0.900000",
        assertThrows(IllegalArgumentException.class,
            () -> SplitPlan.parse("train=0.8,test=0.1")).getMessage());
    assertThrows(IllegalArgumentException.class, () -> SplitPlan.parse("dev=1"));
    assertThrows(IllegalArgumentException.class, () -> SplitPlan.parse("train=1,train=0"));
    assertThrows(IllegalArgumentException.class, () -> SplitPlan.parse("train=x"));
    assertThrows(IllegalArgumentException.class, () -> SplitPlan.parse("train=1.5,test=-0.5"));
  }
}
