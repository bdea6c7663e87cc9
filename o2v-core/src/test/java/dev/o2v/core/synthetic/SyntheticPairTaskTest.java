package dev.o2v.core.synthetic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SyntheticPairTaskTest {

  private static final SyntheticPairTask TASK =
      new SyntheticPairTask(SyntheticPairTask.Config.classification());

  @Test
  void sameSeedSameExamplesOtherSeedOthers() {
    List<PairExample> a = TASK.generate(50, new SplittableRandom(1));
    List<PairExample> b = TASK.generate(50, new SplittableRandom(1));
    List<PairExample> c = TASK.generate(50, new SplittableRandom(2));
    for (int i = 0; i < 50; i++) {
      assertArrayEquals(a.get(i).in0(), b.get(i).in0());
      assertArrayEquals(a.get(i).in1(), b.get(i).in1());
      assertEquals(a.get(i).label(), b.get(i).label());
    }
    assertFalse(Arrays.equals(a.get(0).in0(), c.get(0).in0())
        && Arrays.equals(a.get(1).in0(), c.get(1).in0()));
  }

  @Test
  void idsLengthsAndLabelsStayWithinTheSchema() {
    int positives = 0;
    for (PairExample e : TASK.generate(5000, new SplittableRandom(3))) {
      for (int[] side : new int[][] {e.in0(), e.in1()}) {
        assertTrue(side.length >= 3 && side.length <= 20, "length " + side.length);
        for (int id : side) {
          assertTrue(id >= 0 && id < 1000, "id " + id);
        }
      }
      assertTrue(e.label() == 0 || e.label() == 1, "label " + e.label());
      positives += (int) e.label();
    }
    assertEquals(0.5, positives / 5000.0, 0.03, "share of positives");
  }

  @Test
  void aMajorityTopicRuleSeparatesTheClasses() {
    // The label is recoverable from which token ranges each side uses: compare majority topics.
    List<PairExample> examples = TASK.generate(5000, new SplittableRandom(4));
    int correct = 0;
    for (PairExample e : examples) {
      int predicted = majorityTopic(e.in0()) == majorityTopic(e.in1()) ? 1 : 0;
      correct += predicted == (int) e.label() ? 1 : 0;
    }
    double accuracy = correct / 5000.0;
    assertTrue(accuracy > 0.9, "majority-topic accuracy " + accuracy);
  }

  @Test
  void regressionLabelIsFiveTimesTheShareOfIn0sTopicInIn1() {
    SyntheticPairTask task = new SyntheticPairTask(SyntheticPairTask.Config.regressionVariant());
    double min = 5;
    double max = 0;
    for (PairExample e : task.generate(3000, new SplittableRandom(5))) {
      int topic = majorityTopic(e.in0());
      long hits = Arrays.stream(e.in1()).filter(id -> task.topicOf(id) == topic).count();
      if (topic == trueTopicOf(task, e.in0())) {
        assertEquals(5.0 * hits / e.in1().length, e.label(), 1e-12);
      }
      min = Math.min(min, e.label());
      max = Math.max(max, e.label());
    }
    assertEquals(0.0, min, 1e-12, "smallest label");
    assertTrue(max > 4.5, "largest label " + max);
    assertEquals(dev.o2v.core.data.LabelKind.REGRESSION, task.schema().labelKind());
  }

  @Test
  void topicRangesCoverTheNonFillerIdsAndIdZeroIsNeverATopicToken() {
    // Vocabulary 1000, 100 filler ids [1, 101): ten topics of (1000 - 1 - 100) / 10 = 89 ids.
    assertEquals(-1, TASK.topicOf(0));
    assertEquals(-1, TASK.topicOf(100));
    assertEquals(0, TASK.topicOf(101));
    assertEquals(0, TASK.topicOf(189));
    assertEquals(1, TASK.topicOf(190));
    assertEquals(9, TASK.topicOf(990));
    assertEquals(-1, TASK.topicOf(991));
  }

  @Test
  void idZeroIsPaddingAndNeverGenerated() {
    for (PairExample e : TASK.generate(2000, new SplittableRandom(3))) {
      for (int[] side : new int[][] {e.in0(), e.in1()}) {
        for (int id : side) {
          assertTrue(id >= 1, "generated id " + id);
        }
      }
    }
  }

  private static int majorityTopic(int[] ids) {
    int[] counts = new int[10];
    for (int id : ids) {
      int t = TASK.topicOf(id);
      if (t >= 0) {
        counts[t]++;
      }
    }
    int best = -1;
    int bestCount = 0;
    for (int t = 0; t < counts.length; t++) {
      if (counts[t] > bestCount) {
        best = t;
        bestCount = counts[t];
      }
    }
    return best;
  }

  /** in0 uses only its own topic, so any topical id names it. */
  private static int trueTopicOf(SyntheticPairTask task, int[] in0) {
    return Arrays.stream(in0).map(task::topicOf).filter(t -> t >= 0).findFirst().orElse(-2);
  }
}
