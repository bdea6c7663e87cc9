package dev.o2v.encoders.encoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.pooling.Pool;

/**
 * The maximum over time of channels-last activations, {@code [N, T, C] -> [N, C]}, with the
 * gradient of a maximum (all of it to the first position holding the maximum).
 *
 * <p>The activations are seen as a channels-last image {@code [N, C, T, 1]} (a view, no copy) and
 * reduced to one position by libtorch's adaptive max pooling, whose channels-last kernel runs
 * along the channels with vector instructions. libtorch's {@code max} along the time axis gives
 * the same values and gradients, but walks the time axis of every output element one position
 * at a time, {@code C} floats apart: alone, one thread, median of 1,000 calls (200 for the
 * largest), forward / forward and backward in µs, {@code max} against pooling: {@code [128, 20,
 * 64]} 304 / 450 against 54 / 160, {@code [128, 40, 128]} (a sentence-sized hcnn's layer, both
 * sides) 975 / 1,290 against 102 / 325, {@code [64, 40, 1024]} (SageMaker's default layer width)
 * 9,800 / 11,600 against 385 / 1,720. Alone, {@code max} was faster only on the smallest
 * activations ({@code [64, 20, 16]}: 13 against 27 µs forward), but inside the small hcnn's
 * scoring pass (four layers of {@code [128, 20, 16]}) the pooling scored about 12% more records
 * a second, and {@code max} had been that pass's largest single kernel in a profile.
 */
final class MaxOverTime {

  private MaxOverTime() {}

  /**
   * The maximum over axis 1.
   *
   * @param activation {@code [N, T, C]} with {@code T >= 1}
   * @return {@code [N, C]}
   */
  static NDArray of(NDArray activation) {
    Shape shape = activation.getShape();
    NDArray image = activation.reshape(shape.get(0), shape.get(1), 1, shape.get(2))
        .transpose(0, 3, 1, 2); // [N, C, T, 1], channels last in memory
    return Pool.globalMaxPool2d(image);
  }
}
