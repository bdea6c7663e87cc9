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
 * along the channels with vector instructions. It gives the values and gradients of libtorch's
 * {@code max} along the time axis, which also returns the positions and walks the time axis of
 * every output element one position at a time, {@code C} floats apart, so that its cost per
 * element grows with the channel count. One thread, median µs of 1,000 calls on ReLU outputs
 * ({@code MaxOverTimeTimes} in the benchmarks module), forward / forward and backward, {@code max}
 * against pooling: {@code [128, 20, 64]} 286 / 381 against 35 / 106, {@code [128, 40, 128]} (a
 * sentence-sized hcnn's layer, both sides) 939 / 1,162 against 96 / 308. Called alone on the
 * small hcnn's activations the two are close ({@code [64, 20, 16]} 14 against 18 forward, {@code
 * [128, 20, 16]} 22 against 20); inside the encoder's pass {@code max} is the slower one: pooling
 * every layer instead scored the small hcnn's batches in 1.27–1.50 instead of 1.55–1.69 ms (both
 * sides in one pass) and embedded one side's in 0.46–0.52 instead of 0.55–0.62 ms (benchmarks
 * README, "Max over time inside the pass"). So every size takes the pooling.
 */
public final class MaxOverTime {

  private MaxOverTime() {}

  /**
   * The maximum over axis 1.
   *
   * @param activation {@code [N, T, C]} with {@code T >= 1}
   * @return {@code [N, C]}
   */
  public static NDArray of(NDArray activation) {
    Shape shape = activation.getShape();
    NDArray image = activation.reshape(shape.get(0), shape.get(1), 1, shape.get(2))
        .transpose(0, 3, 1, 2); // [N, C, T, 1], channels last in memory
    return Pool.globalMaxPool2d(image);
  }
}
