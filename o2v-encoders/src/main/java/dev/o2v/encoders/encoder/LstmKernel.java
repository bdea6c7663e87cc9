package dev.o2v.encoders.encoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

/**
 * Computes one direction of one LSTM layer over a padded batch, from a zero state.
 *
 * <ul>
 *   <li>input: {@code [B, T, in]}
 *   <li>weights: {@code w_ih [4h, in]}, {@code w_hh [4h, h]}, {@code b_ih [4h]}, {@code b_hh
 *       [4h]}, gates {@code (i, f, g, o)} in PyTorch's order
 *   <li>output: {@code [B, T, h]}, the hidden state after each position
 * </ul>
 *
 * <p>Two implementations compute the same function: {@link FusedLstmKernel} (the engine's single
 * fused op) and {@link SteppedLstmKernel} (one small group of differentiable ops per time step).
 * {@link LstmKernelChoice} says which one a device gets.
 */
interface LstmKernel {

  /**
   * Runs the direction.
   *
   * @param input {@code [B, T, in]}
   * @param weights {@code w_ih, w_hh, b_ih, b_hh}
   * @param zeroState {@code [1, B, h]} zeros, the initial hidden and cell state
   * @param training whether gradients flow (the fused op keeps what backward needs)
   * @return {@code [B, T, h]}
   */
  NDArray run(NDArray input, NDList weights, NDArray zeroState, boolean training);
}
