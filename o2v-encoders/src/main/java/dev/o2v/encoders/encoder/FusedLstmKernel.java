package dev.o2v.encoders.encoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

/** The engine's fused LSTM op, run unidirectionally with batch-first input: one native call. */
final class FusedLstmKernel implements LstmKernel {

  static final FusedLstmKernel INSTANCE = new FusedLstmKernel();

  private FusedLstmKernel() {}

  @Override
  public NDArray run(NDArray input, NDList weights, NDArray zeroState, boolean training) {
    NDList out =
        input
            .getNDArrayInternal()
            .lstm(
                input,
                new NDList(zeroState, zeroState),
                weights,
                true,
                1,
                0.0,
                training,
                false,
                true);
    return out.get(0);
  }

  @Override
  public String toString() {
    return "fused";
  }
}
