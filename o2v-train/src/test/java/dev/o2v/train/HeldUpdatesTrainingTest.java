package dev.o2v.train;

import static dev.o2v.train.optim.EngineFixtures.stateBytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.o2v.core.batch.Batch;
import dev.o2v.core.hp.Hyperparameters;
import dev.o2v.train.optim.EngineFixtures;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Training with updates held for the next step ({@link HeldUpdates}) against without. */
@Tag("engine")
class HeldUpdatesTrainingTest {

  private static final int SEED = 11;
  private static final double LR = 0.05;

  @ParameterizedTest(name = "{0}, tied {1}, {2} tables")
  @CsvSource({
    "pooled_embedding, false, row_sparse",
    "hcnn, true, row_sparse",
    "bilstm, false, row_sparse",
    "pooled_embedding, true, dense",
    "hcnn, false, dense",
    "bilstm, true, dense"
  })
  void updatesHeldForTheNextStepGiveTheSameModelBitForBit(String network, boolean tied,
      String storage) throws Exception {
    Hyperparameters hp = StepFixtures.hp(Map.of(
        "enc0_network", network,
        "optimizer", "adam",
        "learning_rate", LR,
        "tied_token_embedding_weight", tied,
        "token_embedding_storage_type", storage));
    List<Batch> batches = StepFixtures.batches(8, 13);
    TrainedWith inStep = trainHeldOrNot(hp, batches, false);
    TrainedWith held = trainHeldOrNot(hp, batches, true);
    assertTrue(held.held(), "with a spare core the step holds its updates for the next");
    assertTrue(!inStep.held(), "with the property false every update runs in its own step");
    StepFixtures.assertSameWeights(inStep.weights(), held.weights());
    assertArrayEquals(inStep.state(), held.state(), "optimizer state file");
  }

  private record TrainedWith(Map<String, float[]> weights, byte[] state, boolean held) {}

  /**
   * Trains on {@code batches} with libtorch on one thread of an engine configured for two (a
   * spare core), holding row updates for the next step or not.
   */
  private static TrainedWith trainHeldOrNot(Hyperparameters hp, List<Batch> batches,
      boolean hold) throws Exception {
    return StepFixtures.onOneOfTwoThreads(hp, SEED, (block, optimizer, manager) -> {
      boolean held = EngineFixtures.withProperties(
          Map.of(GatheredRowsTrainingStep.HOLD_PROPERTY, Boolean.toString(hold)), () -> {
            boolean any = false;
            try (GatheredRowsTrainingStep step =
                (GatheredRowsTrainingStep) TrainingStep.create(hp, block, optimizer, manager)) {
              for (Batch batch : batches) {
                assertTrue(Double.isFinite(step.run(batch).meanLoss()));
                any |= step.holdsUpdates();
              }
            }
            return any;
          });
      return new TrainedWith(StepFixtures.weights(block), stateBytes(optimizer), held);
    });
  }
}
