package dev.o2v.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
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
 */
final class DenseTrainingStep implements TrainingStep {

  private final Object2VecBlock block;
  private final TrainingOptimizer optimizer;
  private final NDManager manager;
  private final ParameterStore parameters;
  private final PairLoss loss;
  private final boolean softmax;

  DenseTrainingStep(Object2VecBlock block, TrainingOptimizer optimizer, NDManager manager) {
    this.block = block;
    this.optimizer = optimizer;
    this.manager = manager;
    this.parameters = new ParameterStore(manager, false);
    this.loss = PairLoss.forOutput(block.hyperparameters().outputLayer());
    this.softmax = block.hyperparameters().outputLayer() == OutputLayer.SOFTMAX;
  }

  @Override
  public StepOutcome run(Batch batch) {
    StepOutcome outcome;
    try (NDManager batchManager = manager.newSubManager();
        NDScope scope = new NDScope()) {
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
  }

  /**
   * Updates every parameter. A table with frozen pretrained rows passes its mask of trainable
   * rows, which the optimizer applies after adding weight decay: zeroing the gradient alone would
   * leave the decay term to move the frozen rows.
   */
  private void update() {
    for (Pair<String, Parameter> entry : block.getParameters()) {
      NDArray weight = entry.getValue().getArray();
      TokenEmbedding frozenTable = tableWithFrozenRows(entry.getValue());
      if (frozenTable == null) {
        optimizer.update(entry.getKey(), weight);
      } else {
        optimizer.update(
            entry.getKey(), weight, frozenTable.cachedTrainableRowMask(weight.getDevice()));
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
