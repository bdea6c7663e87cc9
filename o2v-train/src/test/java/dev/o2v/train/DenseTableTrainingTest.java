package dev.o2v.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.o2v.core.batch.Batch;
import dev.o2v.core.hp.Hyperparameters;
import dev.o2v.encoders.Object2VecBlock;
import dev.o2v.train.loss.PairLoss;
import dev.o2v.train.optim.OptimizerFactory;
import dev.o2v.train.optim.TrainingOptimizer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@Tag("engine")
class DenseTableTrainingTest {

  private static final int STEPS = 4;
  private static final double WD = 0.01;
  private static final int[] FROZEN = {1, 4, 7};

  @ParameterizedTest(name = "{0}, tied {1}")
  @CsvSource({
    "adam, false", "adam, true", "sgd, false", "sgd, true", "adagrad, false", "rmsprop, false",
    "adadelta, false"
  })
  void frozenRowsStayBitForBitWithWeightDecayWhileTrainableRowsMove(
      String optimizerKey, boolean tied) {
    Hyperparameters hp =
        StepFixtures.hp(
            Map.of(
                "optimizer", optimizerKey,
                "weight_decay", WD,
                "tied_token_embedding_weight", tied,
                "token_embedding_storage_type", "dense"));
    List<Batch> batches = StepFixtures.batches(STEPS, 5);
    try (NDManager manager = NDManager.newBaseManager();
        TrainingOptimizer optimizer =
            OptimizerFactory.create(hp.optimizer(), hp.learningRate(), WD)) {
      Object2VecBlock block = StepFixtures.block(hp, manager, 13);
      int sides = tied ? 1 : 2;
      float[][] before = new float[sides][];
      for (int side = 0; side < sides; side++) {
        block.tokenEmbedding(side).freezeRows(FROZEN);
        before[side] = block.tokenEmbedding(side).table().getArray().toFloatArray();
      }
      TrainingStep step = TrainingStep.create(hp, block, optimizer, manager);
      for (Batch batch : batches) {
        step.run(batch);
      }
      step.close();
      int dim = hp.enc0().tokenEmbeddingDim();
      for (int side = 0; side < sides; side++) {
        float[] after = block.tokenEmbedding(side).table().getArray().toFloatArray();
        for (int row : FROZEN) {
          assertArrayEquals(
              row(before[side], row, dim),
              row(after, row, dim),
              String.format("side %d frozen row %d moved under %s with weight decay %s", side,
                  row, optimizerKey, WD));
        }
        // Row 0 is used by the batches and trainable: it learns (and decays).
        assertTrue(
            !Arrays.equals(row(before[side], 0, dim), row(after, 0, dim)),
            "side " + side + " trainable row 0 should move: " + Arrays.toString(row(after, 0, dim)));
      }
    }
  }

  @ParameterizedTest(name = "{0}, {1}, weight decay {2}, tied {3}")
  @CsvSource({
    "pooled_embedding, adam, 0, false",
    "hcnn, adam, 0.01, true",
    "bilstm, sgd, 0, false",
    "hcnn, adagrad, 0.01, false",
    "pooled_embedding, rmsprop, 0, true",
    "hcnn, adadelta, 0, false"
  })
  void denseStepsEqualBackpropagationThroughTheWholeTables(
      String network, String optimizerKey, double wd, boolean tied) {
    Hyperparameters hp =
        StepFixtures.hp(
            Map.of(
                "enc0_network", network,
                "optimizer", optimizerKey,
                "tied_token_embedding_weight", tied,
                "token_embedding_storage_type", "dense"));
    assertStepsEqualBackpropagation(hp, wd, StepFixtures.batches(STEPS, 9), network + " "
        + optimizerKey);
  }

  @ParameterizedTest(name = "tied {0}")
  @CsvSource({"false", "true"})
  void oneTokenPooledSidesStepAsBackpropagationThroughTheWholeTables(boolean tied) {
    // max_seq_len 1, as user and item ids are: the step gathers each record's one row.
    Hyperparameters hp =
        StepFixtures.hp(
            Map.of(
                "enc0_network", "pooled_embedding",
                "enc0_max_seq_len", 1,
                "enc1_max_seq_len", 1,
                "optimizer", "adam",
                "tied_token_embedding_weight", tied,
                "token_embedding_storage_type", "dense"));
    List<Batch> batches = StepFixtures.oneTokenBatches(STEPS, 5);
    assertTrue(batches.stream().anyMatch(b -> Arrays.stream(b.lengths(1)).anyMatch(l -> l == 0)),
        "some records have an empty side");
    assertStepsEqualBackpropagation(hp, 0, batches, "one token, tied " + tied);
  }

  /**
   * The dense training step on {@code batches} against plain autograd through the whole tables
   * followed by the optimizer's step on every weight, from the same initial weights: every weight
   * within 1e-5 afterwards.
   */
  private static void assertStepsEqualBackpropagation(
      Hyperparameters hp, double wd, List<Batch> batches, String label) {
    Map<String, float[]> stepped;
    try (NDManager manager = NDManager.newBaseManager();
        TrainingOptimizer optimizer =
            OptimizerFactory.create(hp.optimizer(), hp.learningRate(), wd)) {
      Object2VecBlock block = StepFixtures.block(hp, manager, 21);
      TrainingStep step = TrainingStep.create(hp, block, optimizer, manager);
      for (Batch batch : batches) {
        assertTrue(Double.isFinite(step.run(batch).meanLoss()), "finite loss");
      }
      step.close();
      stepped = StepFixtures.weights(block);
    }
    Map<String, float[]> reference;
    try (NDManager manager = NDManager.newBaseManager();
        TrainingOptimizer optimizer =
            OptimizerFactory.create(hp.optimizer(), hp.learningRate(), wd)) {
      Object2VecBlock block = StepFixtures.block(hp, manager, 21);
      PairLoss loss = PairLoss.forOutput(hp.outputLayer());
      for (Batch batch : batches) {
        // Plain autograd through the whole tables, then every weight updated from its gradient.
        try (NDManager batchManager = manager.newSubManager();
            NDScope scope = new NDScope()) {
          NDList inputs = BatchTensors.inputs(batchManager, batch);
          NDArray labels = BatchTensors.labels(batchManager, batch);
          ParameterStore store = new ParameterStore(batchManager, false);
          try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray output = block.forward(store, inputs, true).singletonOrThrow();
            collector.backward(loss.mean(output, labels));
          }
        }
        optimizer.step(block.getParameters());
      }
      reference = StepFixtures.weights(block);
    }
    assertEquals(reference.keySet(), stepped.keySet(), "parameter names");
    for (String name : reference.keySet()) {
      float[] expected = reference.get(name);
      float[] actual = stepped.get(name);
      for (int i = 0; i < expected.length; i++) {
        assertEquals(expected[i], actual[i], 1e-5, String.format("%s: %s[%d]", label, name, i));
      }
    }
  }

  private static float[] row(float[] table, int row, int dim) {
    return Arrays.copyOfRange(table, row * dim, (row + 1) * dim);
  }
}
