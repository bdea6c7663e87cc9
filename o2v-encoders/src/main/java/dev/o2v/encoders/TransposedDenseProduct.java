package dev.o2v.encoders;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;

/**
 * A dense layer's product taken the other way round where that is faster: {@code y = (W·xᵀ)ᵀ + b}
 * instead of libtorch's {@code linear}, {@code x·Wᵀ + b}. The numbers are the same products summed
 * in another order, so the two agree up to rounding.
 *
 * <p>Why: for batches of 8 to 32 rows the MKL in libtorch multiplies {@code x·Wᵀ} at a fraction of
 * its rate when the weight is large, and the transposed product does not. On this project's
 * 2-core AMD EPYC test machine, at SageMaker's default first MLP layer ({@code [32, 16384]} times
 * a {@code [512, 16384]} weight) {@code linear} took 9.2 ms on two threads and 5.7 ms on one, the
 * transposed product 2.3 and 3.7 ms; at a 2,048 × 512 weight, 16 rows and two threads, 1.03
 * against 0.15 ms. Below 8 rows, from about 48 rows up and for weights of fewer than a million
 * elements, {@code linear} was as fast or the measurements disagreed (benchmarks README, "Dense
 * layers at small batches"). In training the input's gradient becomes {@code (Wᵀ·dyᵀ)ᵀ}, somewhat
 * slower than {@code dy·W} at that layer, and the step still gains most of the forward saving.
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
   * Whether a pass of {@code rows} rows through a {@code [units, inputs]} weight takes the
   * transposed product.
   */
  public static boolean applies(long rows, long inputs, long units) {
    return rows >= MIN_ROWS && rows <= MAX_ROWS && inputs * units >= MIN_WEIGHT_ELEMENTS;
  }

  /**
   * Whether {@link #forward} takes the transposed product for {@code input} and a weight of shape
   * {@code [units, inputs]}: a 2-D input on the CPU (the rule is MKL's; other devices keep their
   * own {@code linear}) whose shape {@link #applies}.
   */
  static boolean takes(NDArray input, Shape weightShape) {
    return Device.Type.CPU.equals(input.getDevice().getDeviceType())
        && input.getShape().dimension() == 2
        && applies(input.getShape().get(0), weightShape.get(1), weightShape.get(0));
  }

  /**
   * {@code layer}'s output for {@code x [B, in]}: the transposed product on the CPU when {@link
   * #applies}, the layer's own forward pass otherwise. In training the engine's autograd
   * differentiates the product as written: the weight's gradient is the same product as {@code
   * linear}'s, the input's is {@code (Wᵀ·dyᵀ)ᵀ}.
   */
  public static NDList forward(
      Linear layer, ParameterStore parameterStore, NDList x, boolean training) {
    NDArray input = x.head();
    Parameter weightParameter = layer.getParameters().get("weight");
    Shape weightShape = weightParameter.getArray().getShape(); // [units, inputs]
    if (!takes(input, weightShape)) {
      return layer.forward(parameterStore, x, training);
    }
    NDArray weight = parameterStore.getValue(weightParameter, input.getDevice(), training);
    NDArray bias = parameterStore.getValue(
        layer.getParameters().get("bias"), input.getDevice(), training);
    return new NDList(weight.matMul(input.transpose()).transpose().add(bias));
  }
}
