package dev.o2v.train.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Small helpers shared by the engine tests of this package ({@link #stateBytes} and {@link
 * #withProperties} also by the training tests).
 */
public final class EngineFixtures {

  private EngineFixtures() {}

  /** A trainable parameter holding a float32 copy of {@code values}. */
  static Parameter parameter(NDManager manager, String name, double[] values) {
    Parameter parameter = Parameter.builder().setName(name).setType(Parameter.Type.WEIGHT).build();
    NDArray array = manager.create(toFloats(values));
    array.setRequiresGradient(true);
    parameter.setArray(array);
    return parameter;
  }

  /** Makes the gradient of {@code weight} exactly {@code grad}, by back-propagating sum(w·grad). */
  static void setGradient(NDArray weight, double[] grad) {
    NDManager manager = weight.getManager();
    try (NDArray g = manager.create(toFloats(grad)).reshape(weight.getShape())) {
      setGradient(weight, g);
    }
  }

  /** Makes the gradient of {@code weight} exactly {@code grad} (same shape). */
  static void setGradient(NDArray weight, NDArray grad) {
    try (GradientCollector collector = Engine.getInstance().newGradientCollector();
        NDArray product = weight.mul(grad);
        NDArray loss = product.sum()) {
      collector.backward(loss);
    }
  }

  static float[] toFloats(double[] values) {
    float[] floats = new float[values.length];
    for (int i = 0; i < values.length; i++) {
      floats[i] = (float) values[i];
    }
    return floats;
  }

  static double[] toDoubles(float[] values) {
    double[] doubles = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      doubles[i] = values[i];
    }
    return doubles;
  }

  /** Asserts float32 results match a double reference within float rounding. */
  static void assertClose(double[] expected, float[] actual, String what) {
    assertEquals(expected.length, actual.length, what + ": length");
    for (int i = 0; i < expected.length; i++) {
      double tolerance = 2e-6 + 2e-6 * Math.abs(expected[i]);
      double error = Math.abs(expected[i] - actual[i]);
      if (error > tolerance) {
        throw new AssertionError(
            String.format(Locale.ROOT, "%s: element %d expected %.9f but was %.9f (error %.3g)",
                what, i, expected[i], actual[i], error));
      }
    }
  }

  /** {@code n} floats drawn uniformly from [-1, 1). */
  static float[] uniformValues(SplittableRandom random, int n) {
    float[] out = new float[n];
    for (int i = 0; i < n; i++) {
      out[i] = (float) (random.nextDouble() * 2 - 1);
    }
    return out;
  }

  /** What {@code optimizer} saves as its state: its moments and update counts. */
  public static byte[] stateBytes(TrainingOptimizer optimizer) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      optimizer.saveState(out);
    }
    return bytes.toByteArray();
  }

  /** Work that reads system properties, run with {@code properties} set. */
  @FunctionalInterface
  public interface PropertyWork<T> {
    T run() throws Exception;
  }

  /** Runs {@code work} with the system properties {@code properties} set, then restores them. */
  public static <T> T withProperties(Map<String, String> properties, PropertyWork<T> work)
      throws Exception {
    Map<String, String> previous = new HashMap<>();
    properties.forEach((key, value) -> {
      previous.put(key, System.getProperty(key));
      System.setProperty(key, value);
    });
    try {
      return work.run();
    } finally {
      previous.forEach((key, value) -> {
        if (value == null) {
          System.clearProperty(key);
        } else {
          System.setProperty(key, value);
        }
      });
    }
  }
}
