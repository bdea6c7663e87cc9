package dev.o2v.train.loss;

import ai.djl.ndarray.NDArray;
import dev.o2v.core.hp.OutputLayer;

/** The training loss of the head, and the per-batch sums that evaluation accumulates. */
public interface PairLoss {

  /**
   * Mean loss of a batch, differentiable.
   *
   * @param output the head's output {@code [B, C]} (logits for softmax, {@code C = 1} for MSE)
   * @param labels {@code [B]} float32 labels (class index or target value)
   * @return a scalar
   */
  NDArray mean(NDArray output, NDArray labels);

  /**
   * Sums over a batch for evaluation, computed without autograd.
   *
   * @return {@code [loss sum, correct count]} (the count is 0 for regression)
   */
  double[] sums(NDArray output, NDArray labels);

  /** The loss of a head. */
  static PairLoss forOutput(OutputLayer output) {
    return output == OutputLayer.SOFTMAX ? new SoftmaxCrossEntropy() : new MeanSquaredError();
  }
}
