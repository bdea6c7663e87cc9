package dev.o2v.encoders.encoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.util.SplittableRandom;

/**
 * Small helpers shared by the encoder tests: seeded inputs, one-call forward passes and the hcnn
 * kernel override.
 */
final class EncoderFixtures {

  private EncoderFixtures() {}

  /** {@code n} values drawn uniformly from {@code [-scale, scale)}. */
  static double[] uniform(SplittableRandom random, int n, double scale) {
    double[] values = new double[n];
    for (int i = 0; i < n; i++) {
      values[i] = scale * (2 * random.nextDouble() - 1);
    }
    return values;
  }

  /** A {@code [B, T, D]} array of the given type holding {@code values}. */
  static NDArray embedded(NDManager manager, double[] values, Shape shape, DataType type) {
    NDArray array = manager.create(values, shape);
    return type == DataType.FLOAT64 ? array : array.toType(type, false);
  }

  /** Initialises {@code block} for inputs {@code [B, T, D]} and {@code [B]}. */
  static void initialize(
      AbstractBlock block, NDManager manager, DataType type, long batch, long time, long dim) {
    block.initialize(manager, type, new Shape(batch, time, dim), new Shape(batch));
  }

  /**
   * Finds a parameter by its name without DJL's child-order prefix ({@code "conv0_weight"} for
   * {@code "01conv0_weight"}).
   */
  static Parameter parameter(AbstractBlock block, String name) {
    for (Pair<String, Parameter> entry : block.getParameters()) {
      if (entry.getKey().replaceFirst("^[0-9]+", "").equals(name)) {
        return entry.getValue();
      }
    }
    throw new IllegalArgumentException(
        "no parameter " + name + " in " + block.getParameters().keys());
  }

  /** Runs {@code block} in inference mode and returns its single output. */
  static NDArray encode(AbstractBlock block, NDManager manager, NDArray embedded, int[] lengths) {
    ParameterStore store = new ParameterStore(manager, false);
    NDList inputs = new NDList(embedded, manager.create(lengths));
    return block.forward(store, inputs, false).singletonOrThrow();
  }

  /** Puts {@link HcnnKernel#PROPERTY} back to {@code previous} (null: not set). */
  static void restoreKernelProperty(String previous) {
    if (previous == null) {
      System.clearProperty(HcnnKernel.PROPERTY);
    } else {
      System.setProperty(HcnnKernel.PROPERTY, previous);
    }
  }
}
