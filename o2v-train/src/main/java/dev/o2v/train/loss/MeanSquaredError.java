package dev.o2v.train.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/** The true mean of squared errors between a one-column output {@code [B, 1]} and targets. */
final class MeanSquaredError implements PairLoss {

  @Override
  public NDArray mean(NDArray output, NDArray targets) {
    return squaredErrors(output, targets).mean();
  }

  @Override
  public double[] sums(NDArray output, NDArray targets) {
    double sum = squaredErrors(output, targets).sum().toType(DataType.FLOAT64, false).getDouble();
    return new double[] {sum, 0};
  }

  private static NDArray squaredErrors(NDArray output, NDArray targets) {
    return output.reshape(-1).sub(targets).square();
  }
}
