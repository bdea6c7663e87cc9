package dev.o2v.train;

import static dev.o2v.train.optim.EngineFixtures.stateBytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import dev.o2v.core.batch.Batch;
import dev.o2v.core.hp.HyperparameterCodec;
import dev.o2v.core.hp.Hyperparameters;
import dev.o2v.encoders.Object2VecBlock;
import dev.o2v.train.model.CheckpointStore;
import dev.o2v.train.model.TrainedModel;
import dev.o2v.train.optim.OptimizerFactory;
import dev.o2v.train.optim.TrainingOptimizer;
import dev.o2v.train.stopping.EarlyStopping;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("engine")
class CheckpointRoundTripTest {

  @TempDir Path dir;

  /**
   * A 3001 × 7 table (84,028 bytes: whole file-system blocks plus a partial one) with Adam
   * state, so the checkpoint's arrays take the block-aligned path and its cached tail.
   */
  @Test
  void tablesLargerThanABlockRestoreBitForBitIntoAnUnfilledModel() throws IOException {
    Hyperparameters hp =
        StepFixtures.hp(
            Map.of(
                "enc0_vocab_size", 3001,
                "enc0_token_embedding_dim", 7,
                "optimizer", "adam",
                "token_embedding_storage_type", "row_sparse"));
    String hpJson = HyperparameterCodec.toCanonicalJson(hp);
    CheckpointStore store = new CheckpointStore(dir);
    Map<String, float[]> trained;
    byte[] trainedState;
    EarlyStopping.State stopping;
    try (NDManager manager = NDManager.newBaseManager();
        TrainingOptimizer optimizer = OptimizerFactory.create(hp.optimizer(), 0.01, 0)) {
      Object2VecBlock block = StepFixtures.block(hp, manager, 21);
      TrainingStep step = TrainingStep.create(hp, block, optimizer, manager);
      for (Batch batch : StepFixtures.batches(3, 9)) {
        step.run(batch);
      }
      step.close();
      trained = StepFixtures.weights(block);
      trainedState = stateBytes(optimizer);
      EarlyStopping rule = new EarlyStopping(2, 0.01);
      rule.observe(0, 0.5);
      rule.observe(1, 0.25);
      stopping = rule.state();
      TrainingState state =
          new TrainingState(2, stopping, TrainingState.fresh().history(), "none");
      store.save(state, block, optimizer, hpJson, 4);
    }
    try (NDManager manager = NDManager.newBaseManager();
        TrainingOptimizer optimizer = OptimizerFactory.create(hp.optimizer(), 0.01, 0)) {
      Object2VecBlock block = TrainedModel.newBlockForLoading(hp, manager);
      TrainingState restored = store.restore(block, optimizer, manager, hpJson, 4).orElseThrow();
      assertEquals(2, restored.epochsDone(), "epochs done");
      assertEquals(stopping, restored.stopping(), "early-stopping state");
      Map<String, float[]> loaded = StepFixtures.weights(block);
      assertEquals(trained.keySet(), loaded.keySet(), "parameter names");
      for (Map.Entry<String, float[]> e : trained.entrySet()) {
        assertArrayEquals(e.getValue(), loaded.get(e.getKey()), 0f, e.getKey());
      }
      assertArrayEquals(trainedState, stateBytes(optimizer), "optimizer state");
    }
  }
}
