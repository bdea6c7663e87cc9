package dev.o2v.encoders.encoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.pooling.Pool;

/**
 * The maximum over time of channels-last activations, {@code [N, T, C] -> [N, C]}, with the
 * gradient of a maximum (all of it to the first position holding the maximum).
 *
 * <p>Two formulations give the same values and the same gradients. libtorch's {@code max} along
 * the time axis also returns the positions, and walks the time axis of every output element one at
 * a time, {@code C} floats apart, so its cost per element grows with the channel count: one
 * thread, median of 1,000 calls (200 for the largest), forward / forward and backward in µs:
 * {@code [128, 20, 16]} 23 / 110, {@code [128, 20, 64]} 304 / 450, {@code [128, 40, 128]} (a
 * sentence-sized hcnn's layer, both sides) 975 / 1,290, {@code [64, 40, 1024]} (SageMaker's
 * default layer width) 9,800 / 11,600. The same activations seen as a channels-last image {@code
 * [N, C, T, 1]} (a view, no copy) and reduced by libtorch's adaptive max pooling to one position,
 * whose channels-last kernel runs along the channels with vector instructions: 33 / 120, 54 / 160,
 * 102 / 325, 385 / 1,720. Below {@link #POOLING_FROM} elements the pooling's fixed cost is the
 * larger ({@code [64, 20, 16]}: 13 against 27 µs forward), so small activations keep {@code max}.
 */
final class MaxOverTime {

  /**
   * The activation size, in elements, from which the pooling formulation is used: {@code [128,
   * 20, 16]} (40,960) was 10 µs faster with {@code max}, {@code [64, 40, 32]} and {@code [128, 20,
   * 32]} (81,920) 40–55 µs faster with the pooling.
   */
  static final long POOLING_FROM = 1L << 16;

  private MaxOverTime() {}

  /**
   * The maximum over axis 1.
   *
   * @param activation {@code [N, T, C]} with {@code T >= 1}
   * @return {@code [N, C]}
   */
  static NDArray of(NDArray activation) {
    Shape shape = activation.getShape();
    if (shape.size() < POOLING_FROM) {
      return activation.max(new int[] {1});
    }
    NDArray image = activation.reshape(shape.get(0), shape.get(1), 1, shape.get(2))
        .transpose(0, 3, 1, 2); // [N, C, T, 1], channels last in memory
    return Pool.globalMaxPool2d(image);
  }
}
