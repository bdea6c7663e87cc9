package dev.o2v.train.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The JVM kernel at sizes where its blocks, cache-line reads and row groups all come into play
 * (rows wider than a cache line, more rows than one group, a whole weight or a run of rows
 * without gradient longer than one block):
 * bit for bit the per-element formula, and within a unit or two in the last place of the
 * engine's in-place passes ({@link Adam#applyInPlace}), whose vectorised square root is not
 * always correctly rounded.
 */
@Tag("engine")
class AdamRowKernelTest {

  private static final float STEP_SIZE = 0.01f;
  /**
   * Distance allowed between one step of the kernel and of the engine's passes from the same
   * state: two units in the last place of the weight, plus two of the largest step, whose root
   * the engine may round the other way. A step is {@code STEP_SIZE·|m|/sqrt(v)} and {@code
   * |m|/sqrt(v) ≤ (1 − β1)/sqrt((1 − β2)(1 − β1²/β2)) ≈ 7.3} (Cauchy–Schwarz on the moments'
   * sums).
   */
  private static double allowed(float expected) {
    double ratio = (1 - Adam.BETA1)
        / Math.sqrt((1 - Adam.BETA2) * (1 - Adam.BETA1 * Adam.BETA1 / Adam.BETA2));
    return 2 * Math.ulp(expected) + 2 * Math.ulp((float) (STEP_SIZE * ratio));
  }

  @Test
  void listedRowsOfAWideTableFollowTheFormulaAndTheEnginePasses() {
    int vocab = 500;
    int dim = 300;
    SplittableRandom random = new SplittableRandom(11);
    try (NDManager manager = NDManager.newBaseManager();
        Adam adam = new Adam(0.01, 0, 1)) {
      adam.ensureStateManager(manager); // the engine passes borrow its scratch array
      NDArray table = manager.randomNormal(new Shape(vocab, dim));
      NDArray[] state = {
        manager.zeros(new Shape(vocab, dim)), manager.zeros(new Shape(vocab, dim))
      };
      float[][] formula = {table.toFloatArray(), new float[vocab * dim], new float[vocab * dim]};
      for (int step = 0; step < 3; step++) {
        NDArray engineTable = table.duplicate(); // the engine's step from the kernel's state
        NDArray[] engineState = {state[0].duplicate(), state[1].duplicate()};
        long[] rows = LongStream.generate(() -> random.nextInt(vocab)).distinct().limit(41)
            .toArray();
        float[] grads = gradients(random, rows.length * dim);
        NDArray rowGrads = manager.create(grads, new Shape(rows.length, dim));
        AdamRowKernel.rowUpdate(table, state[0], state[1], rows, rowGrads, STEP_SIZE).applyAll();

        for (int i = 0; i < rows.length; i++) {
          for (int d = 0; d < dim; d++) {
            formulaStep(formula, (int) rows[i] * dim + d, grads[i * dim + d]);
          }
        }
        NDIndex index = new NDIndex("{}", manager.create(rows));
        NDArray weightRows = engineTable.get(index);
        NDArray meanRows = engineState[0].get(index);
        NDArray varianceRows = engineState[1].get(index);
        adam.applyInPlace(weightRows, rowGrads.duplicate(), meanRows, varianceRows, STEP_SIZE, 0);
        engineTable.set(index, weightRows);
        engineState[0].set(index, meanRows);
        engineState[1].set(index, varianceRows);

        String after = " after step " + (step + 1);
        assertArrayEquals(formula[0], table.toFloatArray(), "table" + after);
        assertArrayEquals(formula[1], state[0].toFloatArray(), "first moment" + after);
        assertArrayEquals(formula[2], state[1].toFloatArray(), "second moment" + after);
        assertArrayEquals(engineState[1].toFloatArray(), state[1].toFloatArray(),
            "second moment against the engine" + after);
        assertNear(engineTable.toFloatArray(), table.toFloatArray(), "table against the engine"
            + after);
      }
    }
  }

  @ParameterizedTest(name = "in spans {0}")
  @ValueSource(booleans = {false, true})
  void aWholeWeightLongerThanOneBlockFollowsTheFormulaAndTheEnginePasses(boolean inSpans) {
    int size = 10_007;
    SplittableRandom random = new SplittableRandom(12);
    try (NDManager manager = NDManager.newBaseManager();
        Adam adam = new Adam(0.01, 0, 1)) {
      adam.ensureStateManager(manager);
      NDArray weight = manager.randomNormal(new Shape(size));
      NDArray[] state = {manager.zeros(new Shape(size)), manager.zeros(new Shape(size))};
      float[][] formula = {weight.toFloatArray(), new float[size], new float[size]};
      for (int step = 0; step < 3; step++) {
        NDArray engine = weight.duplicate(); // the engine's step from the kernel's state
        NDArray[] engineState = {state[0].duplicate(), state[1].duplicate()};
        float[] grads = gradients(random, size);
        NDArray grad = manager.create(grads);
        if (inSpans) {
          // Spans of random lengths, in shuffled order, as held updates apply them.
          WeightUpdate update = AdamRowKernel.wholeUpdate(weight, state[0], state[1], grad,
              STEP_SIZE);
          assertEquals(size, update.size());
          List<int[]> spans = new ArrayList<>();
          for (int from = 0; from < size; ) {
            int to = Math.min(size, from + 1 + random.nextInt(1500));
            spans.add(new int[] {from, to});
            from = to;
          }
          Collections.shuffle(spans, new Random(step));
          spans.forEach(span -> update.apply(span[0], span[1]));
        } else {
          AdamRowKernel.updateWhole(weight, state[0], state[1], grad, STEP_SIZE);
        }
        for (int i = 0; i < size; i++) {
          formulaStep(formula, i, grads[i]);
        }
        adam.applyInPlace(engine, grad.duplicate(), engineState[0], engineState[1], STEP_SIZE,
            0);
        String after = " after step " + (step + 1);
        assertArrayEquals(formula[0], weight.toFloatArray(), "weight" + after);
        assertArrayEquals(formula[2], state[1].toFloatArray(), "second moment" + after);
        assertNear(engine.toFloatArray(), weight.toFloatArray(), "weight against the engine"
            + after);
      }
    }
  }

  @ParameterizedTest(name = "in chunks {0}")
  @ValueSource(booleans = {false, true})
  void everyRowOfADenseTableFollowsTheFormulaWithZeroGradientsOutsideTheListedRows(
      boolean inChunks) {
    int vocab = 700;
    int dim = 20;
    SplittableRandom random = new SplittableRandom(13);
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray table = manager.randomNormal(new Shape(vocab, dim));
      NDArray[] state = {
        manager.zeros(new Shape(vocab, dim)), manager.zeros(new Shape(vocab, dim))
      };
      float[][] formula = {table.toFloatArray(), new float[vocab * dim], new float[vocab * dim]};
      for (int step = 0; step < 3; step++) {
        // Runs of unlisted rows longer and shorter than one block, and the last row listed.
        long[] rows = LongStream.concat(
            LongStream.generate(() -> random.nextInt(vocab - 1)).distinct().limit(9),
            LongStream.of(vocab - 1)).toArray();
        float[] grads = gradients(random, rows.length * dim);
        RowUpdate update = AdamRowKernel.everyRowUpdate(table, state[0], state[1], rows,
            manager.create(grads, new Shape(rows.length, dim)), STEP_SIZE);
        assertEquals(vocab, update.size());
        if (inChunks) {
          // As held updates apply them: a random fifth of the rows first, then the others in
          // chunks of ascending indices with gaps where rows were taken, in shuffled order.
          int[] first = IntStream.range(0, vocab).filter(i -> random.nextInt(5) == 0).toArray();
          update.apply(first);
          int[] rest = IntStream.range(0, vocab)
              .filter(i -> Arrays.binarySearch(first, i) < 0).toArray();
          List<int[]> chunks = new ArrayList<>();
          for (int from = 0; from < rest.length; ) {
            int to = Math.min(rest.length, from + 1 + random.nextInt(90));
            chunks.add(Arrays.copyOfRange(rest, from, to));
            from = to;
          }
          Collections.shuffle(chunks, new Random(step));
          chunks.forEach(update::apply);
        } else {
          update.applyAll();
        }
        float[] fullGradient = new float[vocab * dim];
        for (int i = 0; i < rows.length; i++) {
          System.arraycopy(grads, i * dim, fullGradient, (int) rows[i] * dim, dim);
        }
        for (int at = 0; at < fullGradient.length; at++) {
          formulaStep(formula, at, fullGradient[at]);
        }
        String after = " after step " + (step + 1);
        assertArrayEquals(formula[0], table.toFloatArray(), "table" + after);
        assertArrayEquals(formula[1], state[0].toFloatArray(), "first moment" + after);
        assertArrayEquals(formula[2], state[1].toFloatArray(), "second moment" + after);
      }
    }
  }

  @Test
  void adamUpdatesSmallWeightsAndTablesWithoutDecayOnTheJvmWhateverTheirSize() {
    int size = 1_000; // far below Adam.IN_PLACE_MIN_ELEMENTS
    int vocab = 50;
    int dim = 8;
    double learningRate = 0.01;
    SplittableRandom random = new SplittableRandom(14);
    try (NDManager manager = NDManager.newBaseManager();
        Adam adam = new Adam(learningRate, 0)) {
      adam.ensureStateManager(manager);
      NDArray weight = manager.randomNormal(new Shape(size));
      NDArray table = manager.randomNormal(new Shape(vocab, dim));
      float[][] weightFormula = {weight.toFloatArray(), new float[size], new float[size]};
      float[][] tableFormula = {table.toFloatArray(), new float[vocab * dim],
          new float[vocab * dim]};
      for (int step = 1; step <= 3; step++) {
        float stepSize = (float) Adam.biasCorrectedRate(learningRate, step);
        float[] grads = gradients(random, size);
        NDArray grad = manager.create(grads);
        adam.applyGradient("w", weight, grad, null);
        assertArrayEquals(grads, grad.toFloatArray(), "gradient only read, step " + step);
        for (int i = 0; i < size; i++) {
          formulaStep(weightFormula, i, grads[i], stepSize);
        }
        long[] rows = {3, 17, 40};
        float[] rowGrads = gradients(random, rows.length * dim);
        adam.applyRowGradient("table", table, manager.create(rows),
            manager.create(rowGrads, new Shape(rows.length, dim)), null);
        float[] fullGradient = new float[vocab * dim];
        for (int i = 0; i < rows.length; i++) {
          System.arraycopy(rowGrads, i * dim, fullGradient, (int) rows[i] * dim, dim);
        }
        for (int at = 0; at < fullGradient.length; at++) {
          formulaStep(tableFormula, at, fullGradient[at], stepSize);
        }
        // Bit for bit the JVM formula: the engine's fused kernel rounds its multiply-adds
        // differently for some elements.
        assertArrayEquals(weightFormula[0], weight.toFloatArray(), "weight after step " + step);
        assertArrayEquals(tableFormula[0], table.toFloatArray(), "table after step " + step);
      }
    }
  }

  /** Adam's in-place formula on one element of {weight, mean, variance}, float by float. */
  private static void formulaStep(float[][] wmv, int at, float grad) {
    formulaStep(wmv, at, grad, STEP_SIZE);
  }

  /** {@link #formulaStep(float[][], int, float)} with the step size {@code stepSize}. */
  private static void formulaStep(float[][] wmv, int at, float grad, float stepSize) {
    float variance = Adam.BETA2 * wmv[2][at] + ((1 - Adam.BETA2) * grad) * grad;
    float mean = Adam.BETA1 * wmv[1][at] + (1 - Adam.BETA1) * grad;
    wmv[2][at] = variance;
    wmv[1][at] = mean;
    float root = (float) Math.sqrt(variance + Adam.ROOT_FLOOR);
    wmv[0][at] -= (mean * stepSize) / (root + Adam.EPSILON);
  }

  private static void assertNear(float[] expected, float[] actual, String what) {
    for (int i = 0; i < expected.length; i++) {
      double distance = Math.abs(expected[i] - actual[i]);
      if (distance > allowed(expected[i])) {
        fail(String.format(Locale.ROOT, "%s: element %d is %s, the engine's %s", what, i,
            actual[i], expected[i]));
      }
    }
  }

  /** Gaussian gradients with zeros and values down to 1e-8, where the root's floor matters. */
  private static float[] gradients(SplittableRandom random, int count) {
    float[] grads = new float[count];
    for (int i = 0; i < count; i++) {
      grads[i] = i % 7 == 0 ? 0f : (float) (random.nextGaussian() * Math.pow(10, -(i % 9)));
    }
    return grads;
  }
}
