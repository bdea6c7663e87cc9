package dev.o2v.train.stopping;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.o2v.train.stopping.EarlyStopping.Decision;
import dev.o2v.train.stopping.EarlyStopping.Verdict;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class EarlyStoppingTest {

  /**
   * The validation cross-entropy of epochs 0 to 6 of a real SageMaker Object2Vec training job
   * (AWS's document-embedding example) run with early_stopping_patience 2 and
   * early_stopping_tolerance 0.01. Its log judged epoch 2 bad (count 1), epoch 3 good, epochs 4, 5
   * and 6 bad (counts 1, 2, 3), stopped after epoch 6 and kept the model of epoch 3.
   */
  private static final double[] SAGEMAKER_LOSSES = {
    0.20847056439872516,
    0.19760655043488842,
    0.20252395598059994,
    0.18127504824581792,
    0.19688176300566076,
    0.1930039009805453,
    0.1976500587948298,
  };

  private static List<Decision> replay(EarlyStopping stopping, double... losses) {
    List<Decision> decisions = new ArrayList<>();
    for (double loss : losses) {
      Decision d = stopping.observe(decisions.size(), loss);
      decisions.add(d);
      if (d.stop()) {
        break;
      }
    }
    return decisions;
  }

  @Test
  void theSageMakerLogsSevenLossesGiveItsBadCountsItsStopAndItsBestEpoch() {
    List<Decision> decisions = replay(new EarlyStopping(2, 0.01), SAGEMAKER_LOSSES);

    assertEquals(7, decisions.size(), "epochs run before stopping: " + decisions);
    int[] badCounts = decisions.stream().mapToInt(Decision::badEpochs).toArray();
    assertArrayEquals(new int[] {0, 0, 1, 0, 1, 2, 3}, badCounts, Arrays.toString(badCounts));
    List<Verdict> verdicts = decisions.stream().map(Decision::verdict).toList();
    assertEquals(List.of(Verdict.NOT_JUDGED, Verdict.NOT_JUDGED, Verdict.BAD, Verdict.GOOD,
        Verdict.BAD, Verdict.BAD, Verdict.BAD), verdicts);
    List<Boolean> stops = decisions.stream().map(Decision::stop).toList();
    assertEquals(List.of(false, false, false, false, false, false, true), stops);
    Decision last = decisions.get(6);
    assertEquals(3, last.bestEpoch(), "kept epoch: " + last);
    assertEquals(SAGEMAKER_LOSSES[3], last.bestLoss(), 0.0);
    // The minima the log printed as "min patience losses" for epochs 2 to 6.
    double[] minima = decisions.stream().skip(2).mapToDouble(Decision::previousMinimum).toArray();
    assertArrayEquals(new double[] {SAGEMAKER_LOSSES[1], SAGEMAKER_LOSSES[1], SAGEMAKER_LOSSES[3],
        SAGEMAKER_LOSSES[3], SAGEMAKER_LOSSES[5]}, minima, 0.0, Arrays.toString(minima));
  }

  @Test
  void theFirstPatienceEpochsAreNotJudgedHoweverTheLossMoves() {
    List<Decision> decisions = replay(new EarlyStopping(3, 0.01), 1.0, 2.0, 3.0, 4.0);
    for (Decision d : decisions.subList(0, 3)) {
      assertEquals(Verdict.NOT_JUDGED, d.verdict(), d.toString());
      assertEquals(0, d.badEpochs(), d.toString());
      assertTrue(Double.isNaN(d.previousMinimum()), d.toString());
    }
    assertEquals(Verdict.BAD, decisions.get(3).verdict(), "epoch 3 is compared with 0, 1, 2");
    assertEquals(1.0, decisions.get(3).previousMinimum(), 0.0);
  }

  @Test
  void aGainEqualToTheToleranceIsGoodAndASmallerOneIsBad() {
    Decision equal = replay(new EarlyStopping(1, 0.25), 1.0, 0.75).get(1);
    assertEquals(Verdict.GOOD, equal.verdict(), "1.0 - 0.75 == tolerance: " + equal);
    Decision smaller = replay(new EarlyStopping(1, 0.25), 1.0, 0.875).get(1);
    assertEquals(Verdict.BAD, smaller.verdict(), "1.0 - 0.875 < tolerance: " + smaller);
  }

  @Test
  void aGoodEpochResetsTheBadCount() {
    List<Decision> decisions = replay(new EarlyStopping(2, 0.1), 1.0, 1.0, 1.0, 1.0, 0.5, 0.5);
    assertEquals(2, decisions.get(3).badEpochs(), decisions.get(3).toString());
    assertEquals(0, decisions.get(4).badEpochs(), decisions.get(4).toString());
    assertEquals(1, decisions.get(5).badEpochs(), decisions.get(5).toString());
    assertFalse(decisions.get(5).stop());
  }

  @Test
  void trainingStopsOnlyWhenTheBadCountExceedsThePatience() {
    List<Decision> decisions = replay(new EarlyStopping(1, 0.1), 1.0, 1.0, 1.0, 1.0);
    assertEquals(3, decisions.size(), "epoch 1 bad (1 = patience), epoch 2 bad (2 > 1): stop");
    assertFalse(decisions.get(1).stop());
    assertTrue(decisions.get(2).stop());
  }

  @Test
  void theBestEpochIsTheLowestLossEvenWhenTheGainIsBelowTheTolerance() {
    List<Decision> decisions = replay(new EarlyStopping(2, 0.1), 1.0, 0.99, 0.98, 0.985);
    Decision third = decisions.get(2);
    assertEquals(Verdict.BAD, third.verdict(), third.toString());
    assertTrue(third.newBest(), third.toString());
    assertEquals(2, decisions.get(3).bestEpoch(), decisions.get(3).toString());
    assertFalse(decisions.get(3).newBest());
  }

  @Test
  void aNanLossIsBadAndNeverBestButTheFirstEpochIsBestUntilANumberComes() {
    List<Decision> decisions =
        replay(new EarlyStopping(2, 0.01), Double.NaN, 2.0, Double.NaN, 1.0);
    assertEquals(0, decisions.get(0).bestEpoch(), "something must be kept");
    assertEquals(1, decisions.get(1).bestEpoch(), "any number beats NaN");
    assertEquals(Verdict.BAD, decisions.get(2).verdict(), decisions.get(2).toString());
    assertEquals(1, decisions.get(2).bestEpoch());
    assertEquals(Verdict.GOOD, decisions.get(3).verdict(), "NaN is left out of the minimum");
    assertEquals(2.0, decisions.get(3).previousMinimum(), 0.0);
    assertEquals(3, decisions.get(3).bestEpoch());
    Decision noMinimum = replay(new EarlyStopping(1, 0.01), Double.NaN, 1.0).get(1);
    assertEquals(Verdict.BAD, noMinimum.verdict(), "nothing to beat in [NaN]: " + noMinimum);
  }

  @Test
  void aRestoredStateDecidesLikeTheOriginalRunAtEveryPoint() {
    List<Decision> straight = replay(new EarlyStopping(2, 0.01), SAGEMAKER_LOSSES);
    for (int cut = 0; cut <= 6; cut++) {
      EarlyStopping first = new EarlyStopping(2, 0.01);
      for (int e = 0; e < cut; e++) {
        first.observe(e, SAGEMAKER_LOSSES[e]);
      }
      EarlyStopping resumed = new EarlyStopping(2, 0.01);
      resumed.restore(first.state());
      for (int e = cut; e < SAGEMAKER_LOSSES.length; e++) {
        assertEquals(straight.get(e), resumed.observe(e, SAGEMAKER_LOSSES[e]),
            "epoch " + e + " after resuming at " + cut);
      }
    }
  }

  @Test
  void epochsOutOfOrderOrAfterTheStopAreRefused() {
    EarlyStopping stopping = new EarlyStopping(1, 0.5);
    assertThrows(IllegalArgumentException.class, () -> stopping.observe(1, 1.0));
    replay(stopping, 1.0, 1.0, 1.0);
    assertTrue(stopping.state().stopped(), stopping.toString());
    assertThrows(IllegalStateException.class, () -> stopping.observe(3, 1.0));
  }

  @Test
  void aStateThatDoesNotFitThePatienceIsRefused() {
    EarlyStopping three = new EarlyStopping(3, 0.01);
    replay(three, 1.0, 0.9, 0.8, 0.7);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new EarlyStopping(2, 0.01).restore(three.state()));
    assertTrue(e.getMessage().contains("patience 2"), e.getMessage());
  }

  @Test
  void eachDecisionIsDescribedInOneLineNamingEpochVerdictAndBestEpoch() {
    EarlyStopping stopping = new EarlyStopping(2, 0.01);
    List<Decision> decisions = replay(stopping, SAGEMAKER_LOSSES);
    String warmUp = stopping.describe(decisions.get(0));
    String good = stopping.describe(decisions.get(3));
    String stop = stopping.describe(decisions.get(6));
    for (String line : List.of(warmUp, good, stop)) {
      assertFalse(line.contains("\n"), line);
    }
    assertTrue(warmUp.contains("epoch 0") && warmUp.contains("not judged"), warmUp);
    assertTrue(good.contains("epoch 3") && good.contains("good epoch")
        && good.contains("0.197607"), good);
    assertTrue(stop.contains("bad count 3") && stop.contains("stopping")
        && stop.contains("model of epoch 3 is kept"), stop);
  }
}
