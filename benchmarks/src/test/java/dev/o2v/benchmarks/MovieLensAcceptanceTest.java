package dev.o2v.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.o2v.train.EpochRecord;
import dev.o2v.train.TrainingHistory;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MovieLensAcceptanceTest {

  private static TrainingHistory run(int epochs, int best) {
    TrainingHistory history = TrainingHistory.empty();
    for (int epoch = 0; epoch < epochs; epoch++) {
      EpochRecord record = new EpochRecord(epoch, Map.of(), Map.of(), 1.0, 1.0, epoch <= best);
      history = history.plus(record, Math.min(epoch, best));
    }
    return history;
  }

  @Test
  void theBestEpochIsNamedAmongTheEpochsRunBothNumberedFromZero() {
    assertEquals("best epoch 3 of epochs 0..3", MovieLensAcceptance.bestEpochText(run(4, 3)));
    assertEquals("best epoch 0 of epochs 0..2", MovieLensAcceptance.bestEpochText(run(3, 0)));
  }
}
