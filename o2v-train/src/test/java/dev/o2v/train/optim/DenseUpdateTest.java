package dev.o2v.train.optim;

import static dev.o2v.train.optim.EngineFixtures.assertClose;
import static dev.o2v.train.optim.EngineFixtures.parameter;
import static dev.o2v.train.optim.EngineFixtures.setGradient;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.nn.ParameterList;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import dev.o2v.core.hp.OptimizerKind;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

@Tag("engine")
class DenseUpdateTest {

  private static final double LR = 0.1;
  private static final double[] INITIAL = {0.5, -1.25, 2.0, 0.0, -0.3};
  private static final double[][] GRADS = {
    {0.2, -0.4, 1.5, 0.0, -0.05},
    {-0.1, 0.3, 0.9, 0.25, 0.0},
    {0.05, -0.6, -1.2, 0.1, 0.7}
  };

  static Stream<Arguments> kindsWithAndWithoutDecay() {
    return Stream.of(OptimizerKind.values())
        .flatMap(kind -> Stream.of(Arguments.of(kind, 0.0), Arguments.of(kind, 0.1)));
  }

  @ParameterizedTest(name = "{0} with weight decay {1}")
  @MethodSource("kindsWithAndWithoutDecay")
  void threeStepsMatchTheHandComputedFormula(OptimizerKind kind, double wd) {
    double[] expected = INITIAL.clone();
    double[][] state = ReferenceUpdates.newState(INITIAL.length);
    try (NDManager manager = NDManager.newBaseManager();
        TrainingOptimizer optimizer = OptimizerFactory.create(kind, LR, wd)) {
      Parameter w = parameter(manager, "w", INITIAL);
      ParameterList params = new ParameterList();
      params.add("w", w);
      for (int step = 0; step < GRADS.length; step++) {
        setGradient(w.getArray(), GRADS[step]);
        optimizer.step(params);
        ReferenceUpdates.apply(kind, LR, wd, expected, GRADS[step], state, step + 1);
        assertClose(expected, w.getArray().toFloatArray(), kind.key() + " step " + (step + 1));
      }
      assertEquals(3, optimizer.updateCount("w"), "update count after three steps");
    }
  }

  @ParameterizedTest
  @EnumSource(OptimizerKind.class)
  void eachParameterKeepsItsOwnState(OptimizerKind kind) {
    double[] other = {1.0, 0.25, -0.75, 3.0, 0.1};
    try (NDManager manager = NDManager.newBaseManager();
        TrainingOptimizer shared = OptimizerFactory.create(kind, LR, 0.01);
        TrainingOptimizer aloneA = OptimizerFactory.create(kind, LR, 0.01);
        TrainingOptimizer aloneB = OptimizerFactory.create(kind, LR, 0.01)) {
      Parameter a = parameter(manager, "a", INITIAL);
      Parameter b = parameter(manager, "b", other);
      Parameter a2 = parameter(manager, "a", INITIAL);
      Parameter b2 = parameter(manager, "b", other);
      ParameterList both = new ParameterList();
      both.add("a", a);
      both.add("b", b);
      for (int step = 0; step < GRADS.length; step++) {
        double[] gradB = GRADS[GRADS.length - 1 - step];
        setGradient(a.getArray(), GRADS[step]);
        setGradient(b.getArray(), gradB);
        shared.step(both);
        setGradient(a2.getArray(), GRADS[step]);
        aloneA.update("a", a2.getArray());
        setGradient(b2.getArray(), gradB);
        aloneB.update("b", b2.getArray());
      }
      assertArrayEquals(a2.getArray().toFloatArray(), a.getArray().toFloatArray(), "a");
      assertArrayEquals(b2.getArray().toFloatArray(), b.getArray().toFloatArray(), "b");
    }
  }

  @Test
  void parametersWithoutGradientAreSkipped() {
    try (NDManager manager = NDManager.newBaseManager();
        TrainingOptimizer optimizer = OptimizerFactory.create(OptimizerKind.ADAM, LR, 0.1)) {
      Parameter used = parameter(manager, "used", INITIAL);
      Parameter unused = parameter(manager, "unused", INITIAL); // requires grad, not in backward
      Parameter frozen = parameter(manager, "frozen", INITIAL);
      frozen.getArray().setRequiresGradient(false);
      ParameterList params = new ParameterList();
      params.add("used", used);
      params.add("unused", unused);
      params.add("frozen", frozen);
      setGradient(used.getArray(), GRADS[0]);
      optimizer.step(params);
      float[] initial = EngineFixtures.toFloats(INITIAL);
      assertFalse(java.util.Arrays.equals(initial, used.getArray().toFloatArray()), "used moved");
      assertArrayEquals(initial, unused.getArray().toFloatArray(), "unused unchanged");
      assertArrayEquals(initial, frozen.getArray().toFloatArray(), "frozen unchanged");
      assertEquals(1, optimizer.updateCount("used"), "used count");
      assertEquals(0, optimizer.updateCount("unused"), "unused count");
      assertEquals(0, optimizer.updateCount("frozen"), "frozen count");
    }
  }

  @Test
  void anUpdateZeroesTheGradientItUsed() {
    try (NDManager manager = NDManager.newBaseManager();
        TrainingOptimizer optimizer = OptimizerFactory.create(OptimizerKind.RMSPROP, LR, 0)) {
      Parameter w = parameter(manager, "w", INITIAL);
      setGradient(w.getArray(), GRADS[0]);
      assertTrue(optimizer.update("w", w.getArray()), "update reports it ran");
      try (PtNDArray grad = JniUtils.getGradient((PtNDArray) w.getArray())) {
        assertArrayEquals(new float[INITIAL.length], grad.toFloatArray(), "gradient after update");
      }
    }
  }

  @ParameterizedTest
  @EnumSource(OptimizerKind.class)
  void aStepWorksOnAThreadWhereGradModeIsOn(OptimizerKind kind) throws Exception {
    double[] expected = INITIAL.clone();
    ReferenceUpdates.apply(kind, LR, 0.1, expected, GRADS[0],
        ReferenceUpdates.newState(INITIAL.length), 1);
    ExecutorService executor = Executors.newSingleThreadExecutor();
    try (NDManager manager = NDManager.newBaseManager();
        TrainingOptimizer optimizer = OptimizerFactory.create(kind, LR, 0.1)) {
      Parameter w = parameter(manager, "w", INITIAL);
      ParameterList params = new ParameterList();
      params.add("w", w);
      setGradient(w.getArray(), GRADS[0]);
      Future<boolean[]> modes = executor.submit(() -> {
        boolean before = JniUtils.isGradMode();
        optimizer.step(params);
        return new boolean[] {before, JniUtils.isGradMode()};
      });
      boolean[] observed = modes.get();
      assertTrue(observed[0], "precondition: grad mode is on in a fresh thread");
      assertTrue(observed[1], "grad mode is restored after the step");
      NDArray weight = w.getArray();
      assertClose(expected, weight.toFloatArray(), kind.key() + " step on worker thread");
    } finally {
      executor.shutdownNow();
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(OptimizerKind.class)
  void aRowMaskAfterWeightDecayKeepsMaskedElementsBitForBit(OptimizerKind kind) {
    double wd = 0.1;
    float[] mask = {1, 0, 1, 0, 1};
    double[] expected = INITIAL.clone();
    double[][] state = ReferenceUpdates.newState(INITIAL.length);
    try (NDManager manager = NDManager.newBaseManager();
        TrainingOptimizer optimizer = OptimizerFactory.create(kind, LR, wd)) {
      Parameter w = parameter(manager, "w", INITIAL);
      NDArray rowMask = manager.create(mask);
      for (int step = 0; step < GRADS.length; step++) {
        setGradient(w.getArray(), GRADS[step]);
        assertTrue(optimizer.update("w", w.getArray(), rowMask), "updated");
        ReferenceUpdates.apply(kind, LR, wd, expected, GRADS[step], state, step + 1);
        float[] now = w.getArray().toFloatArray();
        for (int i = 0; i < mask.length; i++) {
          if (mask[i] == 0) {
            assertEquals((float) INITIAL[i], now[i], 0f,
                kind.key() + " step " + (step + 1) + ": masked element " + i + " moved");
          } else {
            assertClose(new double[] {expected[i]}, new float[] {now[i]},
                kind.key() + " step " + (step + 1) + " element " + i);
          }
        }
      }
    }
  }
}
