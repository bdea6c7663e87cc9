package dev.o2v.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/**
 * What one training step measured.
 *
 * @param meanLoss the batch's mean loss
 * @param correct records whose arg-max class equals the label (0 for regression)
 */
public record StepOutcome(double meanLoss, double correct) {

  /**
   * Reads the loss (and, for softmax, the number of correct predictions) back from the engine.
   *
   * @param meanLoss scalar loss
   * @param output {@code [B, C]} head output
   * @param labels {@code [B]} float32 labels
   */
  static StepOutcome read(NDArray meanLoss, NDArray output, NDArray labels, boolean softmax) {
    double loss = meanLoss.toType(DataType.FLOAT64, false).getDouble();
    if (!softmax) {
      return new StepOutcome(loss, 0);
    }
    NDArray predicted = output.argMax(1).toType(DataType.INT64, false);
    double correct =
        predicted.eq(labels.toType(DataType.INT64, false)).sum().toType(DataType.INT64, false)
            .getLong();
    return new StepOutcome(loss, correct);
  }
}
