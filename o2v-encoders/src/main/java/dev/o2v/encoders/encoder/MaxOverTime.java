package dev.o2v.encoders.encoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.pooling.Pool;

/**
 * The maximum over time of channels-last activations, {@code [N, T, C] -> [N, C]}, with the
 * gradient of a maximum (all of it to the first position holding the maximum).
 *
 * <p>Two formulations give the same values and the same gradients. libtorch's {@code max} along
 * the time axis also returns the positions, and walks the time axis of every output element one
 * position at a time, {@code C} floats apart, so its cost per element grows with the channel
 * count. Seen as a channels-last image {@code [N, C, T, 1]} (a view, no copy), the activations can
 * instead be reduced to one position by libtorch's adaptive max pooling, whose channels-last kernel
 * runs along the channels with vector instructions. One thread, median µs of 1,000 calls (200 for
 * the largest; {@code MaxOverTimeTimes} in the benchmarks module), forward / forward and backward,
 * {@code max} against pooling: {@code [64, 20, 16]} 12.5 / 63 against 28 / 80, {@code [128, 20,
 * 16]} 21 / 81 against 32 / 94, {@code [128, 20, 64]} 294 / 386 against 47 / 104, {@code [128,
 * 40, 128]} (a sentence-sized hcnn's layer, both sides) 952 / 1,136 against 114 / 295, {@code
 * [64, 40, 1024]} (SageMaker's default layer width) 9,363 / 11,073 against 371 / 1,765. Below
 * {@link #POOLING_FROM} elements the pooling's fixed cost is the larger, so small activations keep
 * {@code max}.
 */
public final class MaxOverTime {

  /**
   * The activation size, in elements, from which the pooling is used: at {@code [128, 20, 16]}
   * (40,960, the small hcnn's paired layer) {@code max} was 10 µs faster, at {@code [128, 20,
   * 64]} (163,840) 247 µs slower.
   */
  static final long POOLING_FROM = 1L << 16;

  private MaxOverTime() {}

  /**
   * The maximum over axis 1.
   *
   * @param activation {@code [N, T, C]} with {@code T >= 1}
   * @return {@code [N, C]}
   */
  public static NDArray of(NDArray activation) {
    return activation.getShape().size() < POOLING_FROM
        ? activation.max(new int[] {1})
        : byPooling(activation);
  }

  /**
   * The maximum over axis 1 by the pooling whatever the size (for measurements and tests).
   *
   * @param activation {@code [N, T, C]} with {@code T >= 1}
   * @return {@code [N, C]}
   */
  public static NDArray byPooling(NDArray activation) {
    Shape shape = activation.getShape();
    NDArray image = activation.reshape(shape.get(0), shape.get(1), 1, shape.get(2))
        .transpose(0, 3, 1, 2); // [N, C, T, 1], channels last in memory
    return Pool.globalMaxPool2d(image);
  }
}
