package dev.o2v.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.util.Pair;
import dev.o2v.core.batch.Batch;
import dev.o2v.core.hp.OutputLayer;
import dev.o2v.encoders.Object2VecBlock;
import dev.o2v.encoders.TokenEmbedding;
import dev.o2v.train.loss.PairLoss;
import dev.o2v.train.optim.TrainingOptimizer;

/**
 * A training step that back-propagates through the whole token tables and updates every weight
 * densely ({@code token_embedding_storage_type=dense}).
 *
 * <p>The network reads its weights through {@link FreshGradientParameters}, so backward writes
 * each gradient into a fresh array that the optimizer consumes ({@link
 * TrainingOptimizer#applyGradient}); no gradient is kept, zeroed or accumulated across steps.
 */
final class DenseTrainingStep implements TrainingStep {

  private final Object2VecBlock block;
  private final TrainingOptimizer optimizer;
  private final NDManager manager;
  private final FreshGradientParameters parameters;
  private final PairLoss loss;
  private final boolean softmax;

  DenseTrainingStep(Object2VecBlock block, TrainingOptimizer optimizer, NDManager manager) {
    this.block = block;
    this.optimizer = optimizer;
    this.manager = manager;
    this.parameters = new FreshGradientParameters(manager);
    this.loss = PairLoss.forOutput(block.hyperparameters().outputLayer());
    this.softmax = block.hyperparameters().outputLayer() == OutputLayer.SOFTMAX;
  }

  @Override
  public StepOutcome run(Batch batch) {
    try (NDManager batchManager = manager.newSubManager()) {
      parameters.beginStep(batchManager);
      try {
        StepOutcome outcome;
        // The update runs after the scope has closed: the optimizer creates its state arrays at
        // first use, and an open scope would claim (and later free) them.
        try (NDScope scope = new NDScope()) {
          NDList inputs = BatchTensors.inputs(batchManager, batch);
          NDArray labels = BatchTensors.labels(batchManager, batch);
          try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray output = block.forward(parameters, inputs, true).singletonOrThrow();
            NDArray meanLoss = loss.mean(output, labels);
            collector.backward(meanLoss);
            outcome = StepOutcome.read(meanLoss, output, labels, softmax);
          }
        }
        if (Double.isFinite(outcome.meanLoss())) {
          update();
        }
        return outcome;
      } finally {
        parameters.endStep();
      }
    }
  }

  /**
   * Updates every parameter from the gradient backward wrote for it in this step. A table with
   * frozen pretrained rows passes its mask of trainable rows, which the optimizer applies after
   * adding weight decay: zeroing the gradient alone would leave the decay term to move the frozen
   * rows. A weight whose gradient did not come through the step's leaves is updated from its own
   * gradient, if it has one.
   */
  private void update() {
    for (Pair<String, Parameter> entry : block.getParameters()) {
      String name = entry.getKey();
      NDArray weight = entry.getValue().getArray();
      TokenEmbedding frozenTable = tableWithFrozenRows(entry.getValue());
      NDArray rowMask =
          frozenTable == null ? null : frozenTable.cachedTrainableRowMask(weight.getDevice());
      NDArray gradient = parameters.gradient(entry.getValue());
      if (gradient != null) {
        optimizer.applyGradient(name, weight, gradient, rowMask);
      } else if (rowMask == null) {
        optimizer.update(name, weight);
      } else {
        optimizer.update(name, weight, rowMask);
      }
    }
  }

  /** The token table whose parameter this is, when it has frozen rows; else null. */
  private TokenEmbedding tableWithFrozenRows(Parameter parameter) {
    for (int side = 0; side < 2; side++) {
      TokenEmbedding table = block.tokenEmbedding(side);
      if (table.table() == parameter && table.frozenRowCount() > 0) {
        return table;
      }
    }
    return null;
  }
}
