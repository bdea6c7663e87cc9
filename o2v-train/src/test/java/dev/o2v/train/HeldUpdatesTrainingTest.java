package dev.o2v.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import dev.o2v.core.batch.Batch;
import dev.o2v.core.hp.Hyperparameters;
import dev.o2v.encoders.Object2VecBlock;
import dev.o2v.train.optim.OptimizerFactory;
import dev.o2v.train.optim.TrainingOptimizer;
import dev.o2v.train.runtime.StepThreads;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
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
      String storage) throws IOException {
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
    assertEquals(inStep.weights().keySet(), held.weights().keySet());
    for (String name : inStep.weights().keySet()) {
      assertArrayEquals(inStep.weights().get(name), held.weights().get(name), name);
    }
    assertArrayEquals(inStep.state(), held.state(), "optimizer state file");
  }

  private record TrainedWith(Map<String, float[]> weights, byte[] state, boolean held) {}

  /**
   * Trains on {@code batches} with libtorch on one thread of an engine configured for two (a
   * spare core), holding row updates for the next step or not.
   */
  private static TrainedWith trainHeldOrNot(Hyperparameters hp, List<Batch> batches,
      boolean hold) throws IOException {
    Engine.getEngine("PyTorch"); // loads the native library before its thread count is read
    int engineThreads = JniUtils.getNumThreads();
    String property = GatheredRowsTrainingStep.HOLD_PROPERTY;
    String previous = System.getProperty(property);
    System.setProperty(property, Boolean.toString(hold));
    JniUtils.setNumThreads(2);
    boolean held = false;
    try (NDManager manager = NDManager.newBaseManager();
        TrainingOptimizer optimizer =
            OptimizerFactory.create(hp.optimizer(), hp.learningRate(), hp.weightDecay());
        StepThreads.Scope threads = StepThreads.enter(hp)) {
      assertTrue(threads.lowered(), "a tiny network runs on one libtorch thread");
      Object2VecBlock block = StepFixtures.block(hp, manager, SEED);
      try (GatheredRowsTrainingStep step =
          (GatheredRowsTrainingStep) TrainingStep.create(hp, block, optimizer, manager)) {
        for (Batch batch : batches) {
          assertTrue(Double.isFinite(step.run(batch).meanLoss()));
          held |= step.holdsUpdates();
        }
      }
      ByteArrayOutputStream state = new ByteArrayOutputStream();
      optimizer.saveState(new DataOutputStream(state));
      return new TrainedWith(StepFixtures.weights(block), state.toByteArray(), held);
    } finally {
      JniUtils.setNumThreads(engineThreads);
      if (previous == null) {
        System.clearProperty(property);
      } else {
        System.setProperty(property, previous);
      }
    }
  }
}
