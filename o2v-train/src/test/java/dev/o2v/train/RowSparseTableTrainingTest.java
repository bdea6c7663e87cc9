package dev.o2v.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import dev.o2v.core.batch.Batch;
import dev.o2v.core.hp.Hyperparameters;
import dev.o2v.core.hp.OptimizerKind;
import dev.o2v.encoders.Object2VecBlock;
import dev.o2v.encoders.TokenEmbedding;
import dev.o2v.train.loss.PairLoss;
import dev.o2v.train.optim.OptimizerFactory;
import dev.o2v.train.optim.TrainingOptimizer;
import dev.o2v.train.runtime.StepThreads;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

@Tag("engine")
class RowSparseTableTrainingTest {

  private static final int STEPS = 4;
  private static final int SEED = 11;
  private static final double LR = 0.05;
  private static final double WD = 0.1;

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"pooled_embedding", "hcnn", "bilstm"})
  void sgdWithoutWeightDecayGivesTheSameWeightsAsDenseTraining(String network) {
    // Dropout on: both runs draw the same masks from the same engine seed, so equal weights also
    // show that the gathered-rows forward pass applies dropout exactly as the full one does.
    Map<String, Object> common =
        Map.of("enc0_network", network, "optimizer", "sgd", "dropout", 0.3, "enc_dim", 4);
    List<Batch> batches = StepFixtures.batches(STEPS, 5);
    Map<String, float[]> dense = trainWith("dense", common, batches);
    Map<String, float[]> sparse = trainWith("row_sparse", common, batches);
    Map<String, float[]> noDropout =
        trainWith("row_sparse", merge(common, Map.of("dropout", 0.0)), batches);
    assertEquals(dense.keySet(), sparse.keySet(), "parameter names");
    for (String name : dense.keySet()) {
      assertClose(dense.get(name), sparse.get(name), 1e-5, network + " " + name);
    }
    boolean dropoutMattered = false;
    for (String name : dense.keySet()) {
      dropoutMattered |= maxDifference(sparse.get(name), noDropout.get(name)) > 1e-4;
    }
    assertTrue(dropoutMattered, "dropout 0.3 should change the trained weights");
  }

  @ParameterizedTest(name = "{0}, tied {1}, frozen rows {2}")
  @CsvSource({
    "adam, false, false",
    "adam, true, true",
    "adagrad, false, true",
    "adagrad, true, false",
    "sgd, true, true"
  })
  void tableRowsFollowTheLazyRuleWithWeightDecay(
      String optimizerKey, boolean tied, boolean frozen) {
    Hyperparameters hp =
        StepFixtures.hp(
            Map.of(
                "optimizer", optimizerKey,
                "weight_decay", WD,
                "learning_rate", LR,
                "tied_token_embedding_weight", tied,
                "token_embedding_storage_type", "row_sparse"));
    OptimizerKind kind = hp.optimizer();
    List<Batch> batches = StepFixtures.batches(STEPS, 9);
    int[] frozenRows = frozen ? new int[] {1, 4, 7} : new int[0];
    try (NDManager manager = NDManager.newBaseManager();
        TrainingOptimizer optimizer = OptimizerFactory.create(kind, LR, WD)) {
      Object2VecBlock block = StepFixtures.block(hp, manager, SEED);
      block.tokenEmbedding(0).freezeRows(frozenRows);
      TrainingStep step = TrainingStep.create(hp, block, optimizer, manager);
      int tables = tied ? 1 : 2;
      LazyReference[] reference = new LazyReference[tables];
      for (int t = 0; t < tables; t++) {
        reference[t] = new LazyReference(kind, table(block, t).toFloatArray());
      }
      for (int s = 0; s < STEPS; s++) {
        Batch batch = batches.get(s);
        float[][] gradients = denseTableGradients(block, batch, tables);
        step.run(batch);
        for (int t = 0; t < tables; t++) {
          BitSet touched = realTokens(batch, tied ? -1 : t);
          if (t == 0) {
            for (int row : frozenRows) {
              touched.clear(row);
            }
          }
          reference[t].update(touched, gradients[t], s + 1);
          String what = String.format(Locale.ROOT, "%s table %d after step %d", kind, t, s + 1);
          assertClose(reference[t].weights(), table(block, t).toFloatArray(), 2e-5, what);
        }
      }
      step.close();
      String tableName = block.getParameters().keys().stream()
          .filter(k -> k.contains("embedding0")).findFirst().orElseThrow();
      assertEquals(STEPS, optimizer.updateCount(tableName),
          "the table is updated once per step, by the row update only");
    }
  }

  @Test
  void frozenAndAbsentRowsOfATiedTableStayBitForBit() {
    Hyperparameters hp =
        StepFixtures.hp(
            Map.of(
                "optimizer", "adam",
                "weight_decay", WD,
                "tied_token_embedding_weight", true,
                "token_embedding_storage_type", "row_sparse"));
    List<Batch> batches = StepFixtures.batches(STEPS, 3);
    int[] frozenRows = {0, 2, 3};
    try (NDManager manager = NDManager.newBaseManager();
        TrainingOptimizer optimizer = OptimizerFactory.create(hp.optimizer(), LR, WD)) {
      Object2VecBlock block = StepFixtures.block(hp, manager, SEED);
      assertTrue(block.tiedTokenEmbedding(), "tied");
      block.tokenEmbedding(0).freezeRows(frozenRows);
      float[] before = table(block, 0).toFloatArray();
      TrainingStep step = TrainingStep.create(hp, block, optimizer, manager);
      for (Batch batch : batches) {
        step.run(batch);
      }
      step.close();
      float[] after = table(block, 0).toFloatArray();
      int dim = hp.enc0().tokenEmbeddingDim();
      BitSet fixedRows = new BitSet();
      for (int row : frozenRows) {
        fixedRows.set(row);
      }
      fixedRows.set(StepFixtures.USED_IDS, StepFixtures.VOCAB);
      for (int row = 0; row < StepFixtures.VOCAB; row++) {
        float[] was = slice(before, row, dim);
        float[] now = slice(after, row, dim);
        if (fixedRows.get(row)) {
          assertArrayEquals(was, now, "row " + row + " is frozen or absent and must not move");
        } else {
          assertTrue(maxDifference(was, now) > 0, "trainable row " + row + " should have moved");
        }
      }
    }
  }

  /** Runs {@link #STEPS} steps with the given storage type; returns the final weights. */
  private static Map<String, float[]> trainWith(
      String storage, Map<String, Object> settings, List<Batch> batches) {
    Hyperparameters hp =
        StepFixtures.hp(merge(settings, Map.of("token_embedding_storage_type", storage)));
    try (NDManager manager = NDManager.newBaseManager();
        TrainingOptimizer optimizer = OptimizerFactory.create(hp.optimizer(), LR, 0)) {
      Object2VecBlock block = StepFixtures.block(hp, manager, SEED);
      TrainingStep step = TrainingStep.create(hp, block, optimizer, manager);
      Engine.getInstance().setRandomSeed(SEED + 1);
      for (Batch batch : batches) {
        StepOutcome outcome = step.run(batch);
        assertTrue(Double.isFinite(outcome.meanLoss()), "finite loss " + outcome.meanLoss());
      }
      step.close();
      return StepFixtures.weights(block);
    }
  }

  /**
   * The full gradient of each distinct table for {@code batch} at the current weights, from a
   * dense forward and backward; every gradient is zeroed afterwards so training is unaffected.
   */
  private static float[][] denseTableGradients(Object2VecBlock block, Batch batch, int tables) {
    float[][] gradients = new float[tables][];
    try (NDManager batchManager = table(block, 0).getManager().newSubManager();
        NDScope scope = new NDScope()) {
      NDList inputs = BatchTensors.inputs(batchManager, batch);
      NDArray labels = BatchTensors.labels(batchManager, batch);
      PairLoss loss = PairLoss.forOutput(block.hyperparameters().outputLayer());
      ParameterStore store = new ParameterStore(batchManager, false);
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        NDArray output = block.forward(store, inputs, true).singletonOrThrow();
        collector.backward(loss.mean(output, labels));
      }
      for (int t = 0; t < tables; t++) {
        gradients[t] = table(block, t).getGradient().toFloatArray();
      }
    }
    for (Pair<String, Parameter> p : block.getParameters()) {
      JniUtils.zeroGrad((PtNDArray) p.getValue().getArray());
    }
    return gradients;
  }

  /** Rows read by real (unpadded) tokens of {@code side}, or of both sides when -1. */
  private static BitSet realTokens(Batch batch, int side) {
    BitSet rows = new BitSet();
    for (int s = 0; s < 2; s++) {
      if (side >= 0 && s != side) {
        continue;
      }
      int width = batch.maxLength(s);
      for (int r = 0; r < batch.size(); r++) {
        for (int p = 0; p < batch.lengths(s)[r]; p++) {
          rows.set(batch.ids(s)[r * width + p]);
        }
      }
    }
    return rows;
  }

  private static NDArray table(Object2VecBlock block, int side) {
    TokenEmbedding embedding = block.tokenEmbedding(side);
    return embedding.table().getArray();
  }

  /** The lazy update rules in double precision, for a whole [V, D] table. */
  private static final class LazyReference {
    private final OptimizerKind kind;
    private final double[] w;
    private final double[] m;
    private final double[] v;
    private final int dim;

    LazyReference(OptimizerKind kind, float[] initial) {
      this.kind = kind;
      this.w = new double[initial.length];
      for (int i = 0; i < initial.length; i++) {
        w[i] = initial[i];
      }
      this.m = new double[initial.length];
      this.v = new double[initial.length];
      this.dim = initial.length / StepFixtures.VOCAB;
    }

    void update(BitSet rows, float[] grad, long t) {
      for (int row = rows.nextSetBit(0); row >= 0; row = rows.nextSetBit(row + 1)) {
        for (int i = row * dim; i < (row + 1) * dim; i++) {
          double g = grad[i] + WD * w[i];
          switch (kind) {
            case SGD -> w[i] -= LR * g;
            case ADAM -> {
              m[i] = 0.9 * m[i] + 0.1 * g;
              v[i] = 0.999 * v[i] + 0.001 * g * g;
              double rate = LR * Math.sqrt(1 - Math.pow(0.999, t)) / (1 - Math.pow(0.9, t));
              w[i] -= rate * m[i] / (Math.sqrt(v[i]) + 1e-8);
            }
            case ADAGRAD -> {
              m[i] += g * g;
              w[i] -= LR * g / (Math.sqrt(m[i]) + 1e-7);
            }
            default -> throw new IllegalArgumentException("no lazy rule for " + kind);
          }
        }
      }
    }

    double[] weights() {
      return w;
    }
  }

  private static Map<String, Object> merge(Map<String, Object> a, Map<String, Object> b) {
    Map<String, Object> merged = new java.util.HashMap<>(a);
    merged.putAll(b);
    return merged;
  }

  private static float[] slice(float[] values, int row, int dim) {
    return java.util.Arrays.copyOfRange(values, row * dim, (row + 1) * dim);
  }

  private static double maxDifference(float[] a, float[] b) {
    double max = 0;
    for (int i = 0; i < a.length; i++) {
      max = Math.max(max, Math.abs(a[i] - b[i]));
    }
    return max;
  }

  private static void assertClose(float[] expected, float[] actual, double tol, String what) {
    double[] wide = new double[expected.length];
    for (int i = 0; i < wide.length; i++) {
      wide[i] = expected[i];
    }
    assertClose(wide, actual, tol, what);
  }

  private static void assertClose(double[] expected, float[] actual, double tol, String what) {
    assertEquals(expected.length, actual.length, what + ": length");
    for (int i = 0; i < expected.length; i++) {
      double error = Math.abs(expected[i] - actual[i]);
      if (error > tol * (1 + Math.abs(expected[i]))) {
        throw new AssertionError(
            String.format(Locale.ROOT, "%s: element %d expected %.8f but was %.8f (error %.3g)",
                what, i, expected[i], actual[i], error));
      }
    }
  }
}
