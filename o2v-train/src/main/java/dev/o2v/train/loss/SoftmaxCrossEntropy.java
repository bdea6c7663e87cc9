package dev.o2v.train.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/** Cross-entropy of a softmax over logits {@code [B, C]} against integer class labels. */
final class SoftmaxCrossEntropy implements PairLoss {

  @Override
  public NDArray mean(NDArray logits, NDArray labels) {
    return perRecord(logits, labels).mean();
  }

  @Override
  public double[] sums(NDArray logits, NDArray labels) {
    double loss = perRecord(logits, labels).sum().toType(DataType.FLOAT64, false).getDouble();
    NDArray predicted = logits.argMax(1).toType(DataType.INT64, false);
    long correct =
        predicted.eq(labels.toType(DataType.INT64, false)).sum().toType(DataType.INT64, false)
            .getLong();
    return new double[] {loss, correct};
  }

  /** {@code −log softmax(logits)[label]} per record, {@code [B]}. */
  private static NDArray perRecord(NDArray logits, NDArray labels) {
    NDArray logProbabilities = logits.logSoftmax(1);
    NDArray index = labels.toType(DataType.INT64, false).reshape(-1, 1);
    return logProbabilities.gather(index, 1).reshape(-1).neg();
  }
}
