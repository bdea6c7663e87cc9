package dev.o2v.encoders.encoder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@Tag("engine")
class MaxOverTimeTest {

  /**
   * Values and gradients against libtorch's {@code max} along time: signed values, a row of
   * negative infinity (the padding of an empty sequence), and few distinct values, so that ties
   * must send the gradient to the same position; one channel, one position, the small hcnn's
   * layer, and widths up to SageMaker's.
   */
  @ParameterizedTest
  @CsvSource({"4, 5, 3", "2, 9, 1", "3, 1, 5", "128, 20, 16", "64, 40, 32", "3, 7, 4096"})
  void matchesMaxAlongTimeInValuesAndGradients(int n, int t, int c) {
    try (NDManager manager = NDManager.newBaseManager()) {
      float[] data = new float[n * t * c];
      Random random = new Random(n + t + c);
      for (int i = 0; i < data.length; i++) {
        data[i] = random.nextInt(7) - 3; // few distinct values: many ties
      }
      for (int i = 0; i < t * c; i++) {
        data[i] = Float.NEGATIVE_INFINITY; // the first record is all padding
      }
      NDArray upstream = manager.randomUniform(0.5f, 1.5f, new Shape(n, c));
      float[][] expected = valueAndGradient(manager, data, n, t, c, upstream,
          a -> a.max(new int[] {1}));
      float[][] pooled = valueAndGradient(manager, data, n, t, c, upstream, MaxOverTime::of);
      assertArrayEquals(expected[0], pooled[0], 0f, "values");
      assertArrayEquals(expected[1], pooled[1], 0f, "gradients");
    }
  }

  private static float[][] valueAndGradient(NDManager manager, float[] data, int n, int t, int c,
      NDArray upstream, UnaryOperator<NDArray> reduce) {
    NDArray input = manager.create(data, new Shape(n, t, c));
    input.setRequiresGradient(true);
    float[] value;
    try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
      NDArray pooled = reduce.apply(input);
      value = pooled.toFloatArray();
      collector.backward(pooled.mul(upstream).sum());
    }
    return new float[][] {value, input.getGradient().toFloatArray()};
  }
}
