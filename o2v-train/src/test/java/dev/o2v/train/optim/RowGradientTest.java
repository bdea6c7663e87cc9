package dev.o2v.train.optim;

import static dev.o2v.train.optim.EngineFixtures.uniformValues;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.o2v.core.hp.OptimizerKind;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link TrainingOptimizer#applyRowGradient} must leave table and state exactly where {@link
 * TrainingOptimizer#applyGradient} with the gradient written out leaves them, over several steps
 * (so untouched rows carry state), including a step that touches no row.
 */
@Tag("engine")
class RowGradientTest {

  private static final int ROWS = 9;
  private static final int DIM = 3;
  private static final long[][] STEP_ROWS = {{4, 0, 7}, {1}, {}, {7, 8, 2, 0}};

  @ParameterizedTest(name = "{0}, weight decay {1}, mask {2}")
  @CsvSource({
    "adam-in-place, 0, false", // the zero-gradient path
    "adam-in-place, 0.1, false",
    "adam-in-place, 0, true",
    "adam, 0, false",
    "sgd, 0.1, false",
    "adagrad, 0, true",
    "rmsprop, 0, false",
    "adadelta, 0.1, false"
  })
  void rowGradientUpdatesEqualDenseUpdatesOfTheWrittenOutGradient(
      String optimizer, double wd, boolean masked) {
    Supplier<TrainingOptimizer> make = () -> optimizer.equals("adam-in-place")
        ? new Adam(0.05, wd, 1)
        : OptimizerFactory.create(OptimizerKind.valueOf(optimizer.toUpperCase(java.util.Locale.ROOT)), 0.05, wd);
    SplittableRandom random = new SplittableRandom(5);
    float[] initial = uniformValues(random, ROWS * DIM);
    try (NDManager manager = NDManager.newBaseManager();
        TrainingOptimizer byRows = make.get();
        TrainingOptimizer dense = make.get()) {
      NDArray rowTable = manager.create(initial, new Shape(ROWS, DIM));
      NDArray denseTable = manager.create(initial, new Shape(ROWS, DIM));
      NDArray mask = masked
          ? manager.create(new float[] {1, 1, 0, 1, 1, 1, 1, 0, 1}, new Shape(ROWS, 1)) : null;
      for (int step = 0; step < STEP_ROWS.length; step++) {
        long[] rows = STEP_ROWS[step];
        float[] rowGrads = uniformValues(random, rows.length * DIM);
        float[] written = new float[ROWS * DIM];
        for (int r = 0; r < rows.length; r++) {
          System.arraycopy(rowGrads, r * DIM, written, (int) rows[r] * DIM, DIM);
        }
        byRows.applyRowGradient("t", rowTable, manager.create(rows),
            manager.create(rowGrads, new Shape(rows.length, DIM)), mask);
        dense.applyGradient("t", denseTable, manager.create(written, new Shape(ROWS, DIM)), mask);
        assertArrayEquals(denseTable.toFloatArray(), rowTable.toFloatArray(),
            optimizer + " table after step " + (step + 1));
      }
    }
  }
}
