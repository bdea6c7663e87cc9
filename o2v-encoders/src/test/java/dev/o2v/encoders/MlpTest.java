package dev.o2v.encoders;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.o2v.core.hp.MlpActivation;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("engine")
class MlpTest {

  private static final float[] X = {1, 2, 3};
  private static final float[] W0 = {0.1f, 0.2f, 0.3f, -0.1f, 0f, 0.1f};
  private static final float[] B0 = {0.5f, -1.5f};
  private static final float[] W1 = {1f, -1f, 0.5f, 0.5f};
  private static final float[] B1 = {0f, -1.5f};

  private NDManager manager;
  private ParameterStore store;

  @BeforeEach
  void setUp() {
    Engine.getInstance().setRandomSeed(7);
    manager = NDManager.newBaseManager();
    store = new ParameterStore(manager, false);
  }

  @AfterEach
  void tearDown() {
    manager.close();
  }

  private Mlp fixedTwoLayerMlp(MlpActivation activation) {
    Mlp mlp = Mlp.builder().setLayers(2).setUnits(2).setActivation(activation).build();
    mlp.initialize(manager, DataType.FLOAT32, new Shape(1, 3));
    TestParams.named(mlp, "dense0_weight").getArray().set(W0);
    TestParams.named(mlp, "dense0_bias").getArray().set(B0);
    TestParams.named(mlp, "dense1_weight").getArray().set(W1);
    TestParams.named(mlp, "dense1_bias").getArray().set(B1);
    return mlp;
  }

  /** Hand evaluation of act(W1 act(W0 x + b0) + b1). */
  private static float[] expected(DoubleUnaryOperator act) {
    double[] h = new double[2];
    for (int o = 0; o < 2; o++) {
      double z = B0[o];
      for (int i = 0; i < 3; i++) {
        z += W0[o * 3 + i] * X[i];
      }
      h[o] = act.applyAsDouble(z);
    }
    float[] out = new float[2];
    for (int o = 0; o < 2; o++) {
      double z = B1[o] + W1[o * 2] * h[0] + W1[o * 2 + 1] * h[1];
      out[o] = (float) act.applyAsDouble(z);
    }
    return out;
  }

  private float[] run(Mlp mlp, boolean training) {
    NDArray x = manager.create(X, new Shape(1, 3));
    return mlp.forward(store, new NDList(x), training).head().toFloatArray();
  }

  @Test
  void tanhLayersMatchHandComputation() {
    assertArrayEquals(
        expected(Math::tanh), run(fixedTwoLayerMlp(MlpActivation.TANH), false), 1e-6f);
  }

  @Test
  void reluLayersMatchHandComputation() {
    float[] expected = expected(z -> Math.max(0, z));
    assertEquals(0f, expected[1], "the fixture makes one relu unit inactive");
    assertArrayEquals(expected, run(fixedTwoLayerMlp(MlpActivation.RELU), false), 1e-6f);
  }

  @Test
  void linearLayersAreAffineOnly() {
    assertArrayEquals(expected(z -> z), run(fixedTwoLayerMlp(MlpActivation.LINEAR), false), 1e-6f);
  }

  @Test
  void zeroLayersPassTheInputThrough() {
    Mlp mlp = Mlp.builder().setLayers(0).setUnits(8).setActivation(MlpActivation.TANH).build();
    mlp.initialize(manager, DataType.FLOAT32, new Shape(1, 3));
    assertEquals(0, mlp.getParameters().size(), "no parameters");
    assertArrayEquals(X, run(mlp, true), 0f);
    assertEquals(new Shape(4, 3), mlp.getOutputShapes(new Shape[] {new Shape(4, 3)})[0]);
  }

  @Test
  void layerCountAndShapesFollowTheSettings() {
    Mlp mlp = Mlp.builder().setLayers(3).setUnits(5).setActivation(MlpActivation.RELU).build();
    mlp.initialize(manager, DataType.FLOAT32, new Shape(2, 7));
    assertEquals(3, mlp.layers(), "layers");
    assertEquals(6, mlp.getParameters().size(), "weight and bias per layer");
    assertEquals(new Shape(5, 7), TestParams.named(mlp, "dense0_weight").getShape());
    assertEquals(new Shape(5, 5), TestParams.named(mlp, "dense2_weight").getShape());
    assertEquals(new Shape(2, 5), mlp.getOutputShapes(new Shape[] {new Shape(2, 7)})[0]);
  }

  @Test
  void reluLayersGetHeInitAndTanhLayersGlorotWithZeroBias() {
    int fan = 400;
    Mlp relu = Mlp.builder().setLayers(1).setUnits(fan).setActivation(MlpActivation.RELU).build();
    relu.initialize(manager, DataType.FLOAT32, new Shape(1, fan));
    Mlp tanh = Mlp.builder().setLayers(1).setUnits(fan).setActivation(MlpActivation.TANH).build();
    tanh.initialize(manager, DataType.FLOAT32, new Shape(1, fan));

    double reluStd = std(TestParams.named(relu, "dense0_weight").getArray().toFloatArray());
    double heStd = Math.sqrt(2.0 / fan);
    assertEquals(heStd, reluStd, 0.02 * heStd, "He normal std");

    float[] tanhWeights = TestParams.named(tanh, "dense0_weight").getArray().toFloatArray();
    double bound = Math.sqrt(6.0 / (fan + fan));
    double max = 0;
    for (float w : tanhWeights) {
      max = Math.max(max, Math.abs(w));
    }
    assertTrue(max <= bound && max > 0.99 * bound, "Glorot uniform bound " + bound + ": " + max);
    assertEquals(bound / Math.sqrt(3), std(tanhWeights), 0.02 * bound, "uniform std");

    float[] bias = TestParams.named(relu, "dense0_bias").getArray().toFloatArray();
    assertArrayEquals(new float[fan], bias, 0f, "zero bias");
  }

  @Test
  void dropoutActsOnlyInTraining() {
    Mlp mlp =
        Mlp.builder()
            .setLayers(1)
            .setUnits(64)
            .setActivation(MlpActivation.LINEAR)
            .optDropout(0.5f)
            .build();
    mlp.initialize(manager, DataType.FLOAT32, new Shape(1, 3));
    float[] eval1 = run(mlp, false);
    assertArrayEquals(eval1, run(mlp, false), 0f, "inference is deterministic");
    float[] train = run(mlp, true);
    int zeros = 0;
    for (float v : train) {
      zeros += v == 0f ? 1 : 0;
    }
    assertTrue(zeros > 10 && zeros < 54, "about half of 64 units dropped, found " + zeros);
    assertNotEquals(0, zeros);
  }

  @Test
  void rejectsOutOfRangeSettings() {
    assertThrows(
        IllegalArgumentException.class,
        () -> Mlp.builder().setLayers(11).setUnits(2).setActivation(MlpActivation.TANH).build());
    assertThrows(
        IllegalArgumentException.class,
        () -> Mlp.builder().setLayers(1).setUnits(0).setActivation(MlpActivation.TANH).build());
    Mlp mlp = Mlp.builder().setLayers(1).setUnits(2).setActivation(MlpActivation.TANH).build();
    assertSame(MlpActivation.TANH, mlp.activation());
  }

  private static double std(float[] values) {
    double sum = 0;
    double sq = 0;
    for (float v : values) {
      sum += v;
      sq += (double) v * v;
    }
    double mean = sum / values.length;
    return Math.sqrt(sq / values.length - mean * mean);
  }
}
