package dev.o2v.train;

import static dev.o2v.train.optim.EngineFixtures.stateBytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.o2v.core.batch.Batch;
import dev.o2v.core.hp.Hyperparameters;
import dev.o2v.train.optim.EngineFixtures;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Dense tables whose unread rows take their updates when next read ({@link
 * TrainingOptimizer#deferRowGradient}) against the update of every row at every step: after the
 * step closes, the same weights and optimizer state bit for bit, with and without the updates
 * held for the next step. Ids leave some rows unread by every batch and others unread for several
 * batches in a row.
 */
@Tag("engine")
class DeferredRowDecayTrainingTest {

  private static final int SEED = 12;

  /**
   * With updates held for the next step only tables of {@link
   * GatheredRowsTrainingStep#HELD_DENSE_MAX} elements or more are put off: {@code vocab} 180,000
   * (of 6-wide rows) is such a table, the fixture's 17 rows are not.
   */
  @ParameterizedTest(name = "{0}, tied {1}, held {2}, one token {3}, vocabulary {4}")
  @CsvSource({
    "pooled_embedding, false, false, false, 17",
    "pooled_embedding, true, true, false, 180000",
    "pooled_embedding, false, true, true, 180000",
    "pooled_embedding, false, true, false, 17",
    "hcnn, false, true, false, 180000",
    "hcnn, true, false, false, 17",
    "bilstm, false, false, false, 17"
  })
  void rowsUpdatedWhenNextReadGiveTheSameModelBitForBit(String network, boolean tied,
      boolean hold, boolean oneToken, int vocab) throws Exception {
    Map<String, Object> settings = new HashMap<>(Map.of(
        "enc0_network", network,
        "optimizer", "adam",
        "tied_token_embedding_weight", tied,
        "token_embedding_storage_type", "dense",
        "enc0_vocab_size", vocab));
    if (oneToken) {
      settings.put("enc0_max_seq_len", 1);
      settings.put("enc1_max_seq_len", 1);
    }
    Hyperparameters hp = StepFixtures.hp(settings);
    long tableElements = (long) vocab * hp.enc0().tokenEmbeddingDim();
    boolean putOffExpected = !hold || tableElements >= GatheredRowsTrainingStep.HELD_DENSE_MAX;
    List<Batch> batches = oneToken
        ? StepFixtures.oneTokenBatches(10, 17) : StepFixtures.batches(10, 17);
    Trained everyStep = train(hp, batches, false, hold);
    Trained putOff = train(hp, batches, true, hold);
    assertEquals(putOffExpected, putOff.behindBeforeClose(), "rows behind before the step closed");
    assertTrue(!everyStep.behindBeforeClose(), "every row updated at every step");
    StepFixtures.assertSameWeights(everyStep.weights(), putOff.weights());
    assertArrayEquals(everyStep.state(), putOff.state(), "optimizer state file");
  }

  private record Trained(Map<String, float[]> weights, byte[] state, boolean behindBeforeClose) {}

  /**
   * Trains on {@code batches} with libtorch on one thread of an engine configured for two (so
   * that a spare core lets the step hold updates when {@code hold} allows it).
   */
  private static Trained train(Hyperparameters hp, List<Batch> batches, boolean defer,
      boolean hold) throws Exception {
    return StepFixtures.onOneOfTwoThreads(hp, SEED, (block, optimizer, manager) -> {
      boolean behind = EngineFixtures.withProperties(Map.of(
          GatheredRowsTrainingStep.DEFER_PROPERTY, Boolean.toString(defer),
          GatheredRowsTrainingStep.HOLD_PROPERTY, Boolean.toString(hold)), () -> {
            try (TrainingStep step = TrainingStep.create(hp, block, optimizer, manager)) {
              for (Batch batch : batches) {
                assertTrue(Double.isFinite(step.run(batch).meanLoss()));
              }
              try {
                stateBytes(optimizer);
                return false;
              } catch (IllegalStateException e) {
                return true; // saving is refused while rows are behind
              }
            }
          });
      // throws if a row were still behind
      return new Trained(StepFixtures.weights(block), stateBytes(optimizer), behind);
    });
  }
}
