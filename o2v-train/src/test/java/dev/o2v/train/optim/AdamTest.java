package dev.o2v.train.optim;

import static dev.o2v.train.optim.EngineFixtures.assertClose;
import static dev.o2v.train.optim.EngineFixtures.parameter;
import static dev.o2v.train.optim.EngineFixtures.setGradient;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import dev.o2v.core.hp.OptimizerKind;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Tag("engine")
class AdamTest {

  private static final double LR = 0.1;
  private static final double[] INITIAL = {0.5, -1.25, 2.0, 0.0, -0.3, 0.04};
  private static final double[][] GRADS = {
    {0.2, -0.4, 1.5, 0.0, -0.05, 3e-7},
    {-0.1, 0.3, 0.9, 0.25, 0.0, -2.0},
    {0.05, -0.6, -1.2, 0.1, 0.7, 1e-9}
  };

  @ParameterizedTest(name = "weight decay {0}")
  @ValueSource(doubles = {0.0, 0.1})
  void theInPlacePathMatchesTheHandComputedFormula(double wd) {
    double[] expected = INITIAL.clone();
    double[][] state = ReferenceUpdates.newState(INITIAL.length);
    try (NDManager manager = NDManager.newBaseManager();
        Adam adam = new Adam(LR, wd, 1)) {
      Parameter w = parameter(manager, "w", INITIAL);
      for (int step = 0; step < GRADS.length; step++) {
        setGradient(w.getArray(), GRADS[step]);
        assertTrue(adam.update("w", w.getArray()), "step " + (step + 1) + " ran");
        ReferenceUpdates.apply(OptimizerKind.ADAM, LR, wd, expected, GRADS[step], state, step + 1);
        assertClose(expected, w.getArray().toFloatArray(), "in-place adam step " + (step + 1));
      }
      try (PtNDArray grad = JniUtils.getGradient((PtNDArray) w.getArray())) {
        assertArrayEquals(new float[INITIAL.length], grad.toFloatArray(), "gradient after update");
      }
    }
  }

  @Test
  void theInPlacePathLeavesAHandedOverGradientsWeightAloneButItsOwnGradientUntouched() {
    double[] expected = INITIAL.clone();
    double[][] state = ReferenceUpdates.newState(INITIAL.length);
    try (NDManager manager = NDManager.newBaseManager();
        Adam adam = new Adam(LR, 0.1, 1)) {
      Parameter w = parameter(manager, "w", INITIAL);
      setGradient(w.getArray(), GRADS[1]); // the weight's own gradient: must be ignored
      for (int step = 0; step < GRADS.length; step++) {
        NDArray gradient = manager.create(EngineFixtures.toFloats(GRADS[step]));
        adam.applyGradient("w", w.getArray(), gradient, null);
        ReferenceUpdates.apply(OptimizerKind.ADAM, LR, 0.1, expected, GRADS[step], state, step + 1);
        assertClose(expected, w.getArray().toFloatArray(), "handed-over step " + (step + 1));
      }
      try (PtNDArray own = JniUtils.getGradient((PtNDArray) w.getArray())) {
        assertArrayEquals(EngineFixtures.toFloats(GRADS[1]), own.toFloatArray(),
            "the weight's own gradient");
      }
    }
  }

  @Test
  void largeArraysTakeTheInPlacePathBySize() {
    try (NDManager manager = NDManager.newBaseManager();
        Adam adam = new Adam(LR, 0)) {
      NDArray small = manager.zeros(new Shape(16));
      NDArray large = manager.zeros(new Shape(Adam.IN_PLACE_MIN_ELEMENTS));
      assertFalse(adam.mutatesGradient(small), "a small gradient is left intact (fused kernel)");
      assertTrue(adam.mutatesGradient(large), "a large gradient is used as scratch (in place)");
    }
  }
  @ParameterizedTest(name = "weight decay {0}")
  @ValueSource(doubles = {0.0, 0.1})
  void lazyRowsUpdatedInPlaceEqualTheEngineUpdateOfTheirCopiesBitForBit(double wd) {
    int vocab = 50;
    int dim = 7;
    long[][] stepRows = {{3, 17, 40}, {17, 0, 49, 3}, {40}};
    java.util.SplittableRandom random = new java.util.SplittableRandom(5);
    try (NDManager manager = NDManager.newBaseManager();
        Adam adam = new Adam(LR, wd, 1)) {
      NDArray table = manager.randomNormal(new Shape(vocab, dim));
      NDArray[] copiesState = {manager.zeros(new Shape(vocab, dim)),
          manager.zeros(new Shape(vocab, dim))};
      NDArray copiesTable = table.duplicate();
      for (int step = 0; step < stepRows.length; step++) {
        long[] rows = stepRows[step];
        float[] grads = new float[rows.length * dim];
        for (int i = 0; i < grads.length; i++) {
          // zeros and tiny values too, where the root's floor and subnormals matter
          grads[i] = i % 5 == 0 ? 0f : (float) (random.nextGaussian() * Math.pow(10, -i % 9));
        }
        NDArray rowGrads = manager.create(grads, new Shape(rows.length, dim));
        NDArray rowIds = manager.create(rows);
        adam.updateRows("table", table, rowIds, rowGrads);
        // The same update on gathered copies through the engine's in-place path.
        ai.djl.ndarray.index.NDIndex index = new ai.djl.ndarray.index.NDIndex("{}", rowIds);
        NDArray weightRows = copiesTable.get(index);
        NDArray[] stateRows = {copiesState[0].get(index), copiesState[1].get(index)};
        adam.applyUpdate(weightRows, rowGrads.duplicate(), stateRows, step + 1, (float) wd);
        copiesTable.set(index, weightRows);
        copiesState[0].set(index, stateRows[0]);
        copiesState[1].set(index, stateRows[1]);
        assertArrayEquals(grads, rowGrads.toFloatArray(), "row gradients only read");
        assertArrayEquals(copiesTable.toFloatArray(), table.toFloatArray(),
            "table after step " + (step + 1));
      }
    }
  }
}
