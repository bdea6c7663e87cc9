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
}
