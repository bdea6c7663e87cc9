package dev.o2v.train.optim;

import static dev.o2v.train.optim.EngineFixtures.stateBytes;
import static dev.o2v.train.optim.EngineFixtures.uniformValues;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Adam's JVM updates with whole vectors in the arrays' own memory ({@link AdamVectorKernel})
 * against the same updates on Java arrays alone ({@code o2v.vectorKernel=false}): listed rows,
 * every row of a dense table, rows put off and caught up, and a whole weight applied in uneven
 * spans, at widths below, at and between whole vectors, come out the same bit for bit. Some
 * gradient columns are exactly zero, so that vectors mix lanes of +0.0 moments with others, and
 * most rows are never read, so that whole vectors of +0.0 moments are skipped.
 */
@Tag("engine")
class AdamVectorKernelTest {

  private static final int VOCAB = 300;
  private static final int WEIGHT_SIZE = 10_007;

  @Test
  void theTestJvmRunsTheVectorKernel() {
    assertTrue(AdamRowKernel.vectorSpans(),
        "the vector kernel is off: tests must run with --add-modules jdk.incubator.vector");
  }

  @ParameterizedTest(name = "rows of {0}")
  @ValueSource(ints = {7, 16, 300, 1024})
  void everyUpdateIsTheSameBitForBitWithAndWithoutVectors(int width) throws Exception {
    Outcome javaArrays = run(width, "false");
    Outcome vectors = run(width, "true");
    String[] names = {"table updated by listed rows", "dense table, every row",
      "dense table, rows put off", "whole weight"};
    for (int i = 0; i < names.length; i++) {
      assertArrayEquals(javaArrays.weights().get(i), vectors.weights().get(i), names[i]);
    }
    assertArrayEquals(javaArrays.state(), vectors.state(), "moments and update counts");
  }

  /** The three tables and the weight after the updates, and the optimizer's saved state. */
  private record Outcome(List<float[]> weights, byte[] state) {}

  /**
   * Eight steps of every kind of update with the vector kernel {@code on} or not; the three
   * tables, the weight, and the optimizer's state.
   */
  private static Outcome run(int width, String on) throws Exception {
    return EngineFixtures.withProperties(Map.of(AdamRowKernel.VECTOR_PROPERTY, on),
        () -> trained(width));
  }

  /** {@link #run}'s updates, with the vector kernel as the property now says. */
  private static Outcome trained(int width) throws IOException {
    SplittableRandom random = new SplittableRandom(31);
    try (NDManager manager = NDManager.newBaseManager();
        Adam adam = new Adam(0.02, 0)) {
      NDArray lazy = manager.create(uniformValues(random, VOCAB * width), new Shape(VOCAB, width));
      NDArray dense = manager.create(uniformValues(random, VOCAB * width), new Shape(VOCAB, width));
      NDArray deferred = dense.duplicate();
      NDArray weight = manager.create(uniformValues(random, WEIGHT_SIZE));
      for (int step = 0; step < 8; step++) {
        long[] rows = random.longs(0, VOCAB / 3).distinct().limit(20).toArray();
        NDArray ids = manager.create(rows);
        NDArray grads = manager.create(gradients(random, rows.length, width),
            new Shape(rows.length, width));
        adam.updateRows("lazy", lazy, ids, grads);
        adam.applyRowGradient("dense", dense, ids, grads, null);
        adam.settleRows("deferred", rows);
        adam.deferRowGradient("deferred", deferred, ids, grads);
        WeightUpdate whole = adam.prepareGradientUpdate("weight", weight,
            manager.create(gradients(random, 1, WEIGHT_SIZE))).orElseThrow();
        for (int from = 0; from < WEIGHT_SIZE; ) {
          int to = Math.min(WEIGHT_SIZE, from + 1 + random.nextInt(3000));
          whole.apply(from, to);
          from = to;
        }
      }
      adam.settle();
      List<float[]> weights = new ArrayList<>();
      for (NDArray array : new NDArray[] {lazy, dense, deferred, weight}) {
        weights.add(array.toFloatArray());
      }
      return new Outcome(weights, stateBytes(adam));
    }
  }

  /** Random gradients whose every third column is exactly zero. */
  private static float[] gradients(SplittableRandom random, int rows, int width) {
    float[] out = uniformValues(random, rows * width);
    for (int i = 0; i < out.length; i++) {
      if (i % width % 3 == 2) {
        out[i] = 0;
      }
    }
    return out;
  }
}
