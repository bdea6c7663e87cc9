package dev.o2v.train.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.o2v.core.hp.OptimizerKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class OptimizerFactoryTest {

  @ParameterizedTest
  @EnumSource(OptimizerKind.class)
  void createsTheOptimizerOfTheRequestedKind(OptimizerKind kind) {
    try (TrainingOptimizer optimizer = OptimizerFactory.create(kind, 0.01, 0.5)) {
      assertEquals(kind, optimizer.kind(), "kind");
      assertEquals(0.01, optimizer.learningRate(), "learning rate");
      assertEquals(0.5, optimizer.weightDecay(), "weight decay");
      assertEquals(0, optimizer.updateCount("anything"), "fresh counter");
    }
  }

  @Test
  void aNonPositiveLearningRateIsRejected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> OptimizerFactory.create(OptimizerKind.SGD, 0, 0));
    assertTrue(e.getMessage().contains("learning_rate") && e.getMessage().contains("0.0"),
        "message names key and value: " + e.getMessage());
  }

  @Test
  void aNegativeWeightDecayIsRejected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> OptimizerFactory.create(OptimizerKind.ADAM, 0.1, -1));
    assertTrue(e.getMessage().contains("weight_decay") && e.getMessage().contains("-1.0"),
        "message names key and value: " + e.getMessage());
  }
}
