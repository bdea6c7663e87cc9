package dev.o2v.encoders.encoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.training.initializer.Initializer;

/**
 * Initialisers for LSTM parameters stored in PyTorch's layout: four gate blocks {@code (input,
 * forget, cell, output)} of {@code hidden} rows each, stacked along the first axis.
 */
final class LstmInitializers {

  private LstmInitializers() {}

  /**
   * Glorot (Xavier) uniform per gate: each gate block is a {@code [hidden, fanIn]} matrix, so the
   * bound is {@code sqrt(6 / (fanIn + hidden))} rather than one computed from the stacked {@code 4
   * * hidden} rows, which would make the gates four times too small in variance. Used for both
   * input-to-hidden and hidden-to-hidden weights; a cheap stand-in for an orthogonal recurrent
   * matrix that keeps the recurrent gain near one at initialisation.
   */
  static Initializer gateGlorot(int hidden) {
    return (manager, shape, dataType) -> {
      double bound = Math.sqrt(6.0 / (shape.get(1) + hidden));
      return manager.randomUniform((float) -bound, (float) bound, shape, dataType);
    };
  }

  /**
   * Zero bias except 1 on the forget gate, so cells start out keeping their state and gradients
   * flow across long sequences early in training (Jozefowicz et al., 2015).
   */
  static Initializer forgetGateOne(int hidden) {
    return (manager, shape, dataType) -> {
      NDArray bias = manager.zeros(shape, dataType);
      bias.set(new NDIndex("{}:{}", hidden, 2 * hidden), 1f);
      return bias;
    };
  }
}
