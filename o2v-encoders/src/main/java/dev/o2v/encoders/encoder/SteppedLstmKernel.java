package dev.o2v.encoders.encoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;

/**
 * The LSTM recurrence written out step by step with ordinary differentiable ops.
 *
 * <p>The input projection of all positions is one matrix product; each step then adds the
 * recurrent product and applies the gates: {@code i, f, o = σ(·)}, {@code g = tanh(·)}, {@code c =
 * f ⊙ c + i ⊙ g}, {@code h = o ⊙ tanh(c)}. It costs about a dozen native calls per position, so it
 * is slower than the fused op, and it exists for CPUs where the fused op cannot be trusted (see
 * {@link LstmKernelChoice}).
 */
final class SteppedLstmKernel implements LstmKernel {

  static final SteppedLstmKernel INSTANCE = new SteppedLstmKernel();

  private SteppedLstmKernel() {}

  @Override
  public NDArray run(NDArray input, NDList weights, NDArray zeroState, boolean training) {
    NDArray inputWeights = weights.get(0);
    NDArray recurrentWeights = weights.get(1).transpose();
    NDArray bias = weights.get(2).add(weights.get(3));
    long hidden = recurrentWeights.getShape().get(0);
    long steps = input.getShape().get(1);
    if (steps == 0) {
      return input.getManager().zeros(new Shape(input.getShape().get(0), 0, hidden));
    }
    NDArray projected = input.matMul(inputWeights.transpose()).add(bias);
    NDArray state = zeroState.squeeze(0);
    NDArray cell = state;
    NDList states = new NDList((int) steps);
    for (long t = 0; t < steps; t++) {
      NDArray gates = projected.get(new NDIndex(":, {}, :", t)).add(state.matMul(recurrentWeights));
      NDArray in = Activation.sigmoid(gate(gates, 0, hidden));
      NDArray forget = Activation.sigmoid(gate(gates, 1, hidden));
      NDArray candidate = Activation.tanh(gate(gates, 2, hidden));
      NDArray out = Activation.sigmoid(gate(gates, 3, hidden));
      cell = forget.mul(cell).add(in.mul(candidate));
      state = out.mul(Activation.tanh(cell));
      states.add(state);
    }
    return NDArrays.stack(states, 1);
  }

  private static NDArray gate(NDArray gates, int index, long hidden) {
    return gates.get(new NDIndex(":, {}:{}", index * hidden, (index + 1) * hidden));
  }

  @Override
  public String toString() {
    return "stepped";
  }
}
