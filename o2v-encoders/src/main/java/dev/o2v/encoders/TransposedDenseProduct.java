package dev.o2v.encoders;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;

/**
 * A dense layer's inference product taken the other way round where that is faster: {@code y =
 * (W·xᵀ)ᵀ + b} instead of libtorch's {@code linear}, {@code x·Wᵀ + b}. The numbers are the same
 * products summed in another order, so the two agree up to rounding.
 *
 * <p>Why: for batches of 8 to 32 rows the MKL in libtorch multiplies {@code x·Wᵀ} at a fraction of
 * its rate when the weight is large, and the transposed product does not. On this project's
 * 2-core AMD EPYC test machine, at SageMaker's default first MLP layer ({@code [32, 16384]} times
 * a {@code [512, 16384]} weight) {@code linear} took 9.2 ms on two threads and 5.7 ms on one, the
 * transposed product 2.3 and 3.7 ms; at a 2,048 × 512 weight, 16 rows and two threads, 1.03
 * against 0.15 ms.
 * Below 8 rows, from about 48 rows up and for weights of fewer than a million elements, {@code
 * linear} was as fast or the measurements disagreed (benchmarks README, "Dense layers at small
 * batches"). Training keeps {@code linear}, whose backward pass the engine's autograd has.
 */
public final class TransposedDenseProduct {

  /** Fewer rows than this keep {@code linear}. */
  static final long MIN_ROWS = 8;
  /** More rows than this keep {@code linear}. */
  static final long MAX_ROWS = 32;
  /** Weights with fewer elements than this keep {@code linear}. */
  static final long MIN_WEIGHT_ELEMENTS = 1L << 20;

  private TransposedDenseProduct() {}

  /**
   * Whether an inference pass of {@code rows} rows through a {@code [units, inputs]} weight takes
   * the transposed product.
   */
  public static boolean applies(long rows, long inputs, long units) {
    return rows >= MIN_ROWS && rows <= MAX_ROWS && inputs * units >= MIN_WEIGHT_ELEMENTS;
  }

  /**
   * {@code layer}'s output for {@code x [B, in]}: the transposed product in inference when {@link
   * #applies}, the layer's own forward pass otherwise.
   */
  public static NDList forward(
      Linear layer, ParameterStore parameterStore, NDList x, boolean training) {
    NDArray input = x.head();
    if (training || input.getShape().dimension() != 2) {
      return layer.forward(parameterStore, x, training);
    }
    NDArray weight = parameterStore.getValue(
        layer.getParameters().get("weight"), input.getDevice(), false);
    long[] shape = weight.getShape().getShape();
    if (!applies(input.getShape().get(0), shape[1], shape[0])) {
      return layer.forward(parameterStore, x, training);
    }
    NDArray bias = parameterStore.getValue(
        layer.getParameters().get("bias"), input.getDevice(), false);
    return new NDList(weight.matMul(input.transpose()).transpose().add(bias));
  }
}
