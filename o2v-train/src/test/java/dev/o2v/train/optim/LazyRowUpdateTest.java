package dev.o2v.train.optim;

import static dev.o2v.train.optim.EngineFixtures.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.o2v.core.hp.OptimizerKind;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

@Tag("engine")
class LazyRowUpdateTest {

  private static final int ROWS = 6;
  private static final int DIM = 3;
  private static final double LR = 0.05;
  /** Row 4 recurs in every step, rows 3 and 5 never appear, others come and go. */
  private static final long[][] STEP_IDS = {{1, 4}, {4, 2}, {0, 1, 4}, {4}};

  static Stream<Arguments> lazyKindsWithAndWithoutDecay() {
    return Stream.of(OptimizerKind.ADAM, OptimizerKind.ADAGRAD, OptimizerKind.SGD)
        .flatMap(kind -> Stream.of(Arguments.of(kind, 0.0), Arguments.of(kind, 0.2)));
  }

  @ParameterizedTest(name = "{0} with weight decay {1}")
  @MethodSource("lazyKindsWithAndWithoutDecay")
  void onlyListedRowsAndTheirStateChange(OptimizerKind kind, double wd) {
    SplittableRandom random = new SplittableRandom(7);
    double[][] expected = new double[ROWS][DIM];
    double[][][] rowState = new double[ROWS][][];
    for (int r = 0; r < ROWS; r++) {
      for (int d = 0; d < DIM; d++) {
        expected[r][d] = random.nextDouble(-1, 1);
      }
      rowState[r] = ReferenceUpdates.newState(DIM);
    }
    try (NDManager manager = NDManager.newBaseManager();
        TrainingOptimizer optimizer = OptimizerFactory.create(kind, LR, wd)) {
      NDArray table =
          manager.create(EngineFixtures.toFloats(flatten(expected)), new Shape(ROWS, DIM));
      for (int step = 0; step < STEP_IDS.length; step++) {
        long[] ids = STEP_IDS[step];
        double[][] grads = new double[ids.length][DIM];
        for (double[] row : grads) {
          for (int d = 0; d < DIM; d++) {
            row[d] = random.nextDouble(-2, 2);
          }
        }
        Shape gradShape = new Shape(ids.length, DIM);
        try (NDArray rowIds = manager.create(ids);
            NDArray rowGrads = manager.create(EngineFixtures.toFloats(flatten(grads)), gradShape)) {
          optimizer.updateRows("table", table, rowIds, rowGrads);
          float[] gradsAfter = rowGrads.toFloatArray();
          assertArrayEquals(EngineFixtures.toFloats(flatten(grads)), gradsAfter, "grads untouched");
        }
        for (int u = 0; u < ids.length; u++) {
          int r = (int) ids[u];
          // global step count for bias correction, as in MXNet's lazy update
          ReferenceUpdates.apply(kind, LR, wd, expected[r], grads[u], rowState[r], step + 1);
        }
        assertClose(flatten(expected), table.toFloatArray(), kind.key() + " step " + (step + 1));
      }
      assertEquals(STEP_IDS.length, optimizer.updateCount("table"), "table update count");
    }
  }

  @Test
  void sparseSgdEqualsDenseSgdWhenTheGradientIsZeroElsewhere() {
    double[] initial = new double[ROWS * DIM];
    double[] denseGrad = new double[ROWS * DIM];
    long[] ids = {5, 0, 2};
    double[] rowGrads = new double[ids.length * DIM];
    for (int i = 0; i < initial.length; i++) {
      initial[i] = 0.1 * i - 0.7;
    }
    for (int u = 0; u < ids.length; u++) {
      for (int d = 0; d < DIM; d++) {
        rowGrads[u * DIM + d] = 0.3 * (u + 1) - 0.2 * d;
        denseGrad[(int) ids[u] * DIM + d] = rowGrads[u * DIM + d];
      }
    }
    try (NDManager manager = NDManager.newBaseManager();
        TrainingOptimizer sparse = OptimizerFactory.create(OptimizerKind.SGD, LR, 0);
        TrainingOptimizer dense = OptimizerFactory.create(OptimizerKind.SGD, LR, 0)) {
      NDArray table = manager.create(EngineFixtures.toFloats(initial), new Shape(ROWS, DIM));
      NDArray denseWeight = manager.create(EngineFixtures.toFloats(initial), new Shape(ROWS, DIM));
      denseWeight.setRequiresGradient(true);
      for (int step = 0; step < 2; step++) {
        try (NDArray rowIds = manager.create(ids);
            NDArray grads =
                manager.create(EngineFixtures.toFloats(rowGrads), new Shape(ids.length, DIM))) {
          sparse.updateRows("table", table, rowIds, grads);
        }
        EngineFixtures.setGradient(denseWeight, denseGrad);
        assertTrue(dense.update("table", denseWeight), "dense update ran");
      }
      assertArrayEquals(denseWeight.toFloatArray(), table.toFloatArray(), "sparse vs dense SGD");
    }
  }

  @ParameterizedTest
  @EnumSource(value = OptimizerKind.class, names = {"RMSPROP", "ADADELTA"})
  void optimizersWithoutALazyUpdateRefuseRowUpdates(OptimizerKind kind) {
    try (NDManager manager = NDManager.newBaseManager();
        TrainingOptimizer optimizer = OptimizerFactory.create(kind, LR, 0);
        NDArray table = manager.zeros(new Shape(ROWS, DIM));
        NDArray ids = manager.create(new long[] {1});
        NDArray grads = manager.ones(new Shape(1, DIM))) {
      UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
          () -> optimizer.updateRows("table", table, ids, grads));
      assertTrue(e.getMessage().contains(kind.key()), "message names the optimizer: " + e);
    }
  }

  @Test
  void rowGradientsOfTheWrongShapeAreRejected() {
    try (NDManager manager = NDManager.newBaseManager();
        TrainingOptimizer optimizer = OptimizerFactory.create(OptimizerKind.ADAM, LR, 0);
        NDArray table = manager.zeros(new Shape(ROWS, DIM));
        NDArray ids = manager.create(new long[] {1, 2});
        NDArray grads = manager.ones(new Shape(1, DIM))) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> optimizer.updateRows("table", table, ids, grads));
      assertTrue(e.getMessage().contains("(1, 3)"), "message shows the gradient shape: " + e);
    }
  }

  private static double[] flatten(double[][] rows) {
    return Stream.of(rows).flatMapToDouble(java.util.Arrays::stream).toArray();
  }
}
