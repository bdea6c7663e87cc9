package dev.o2v.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
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
      applyFreeze();
      optimizer.step(block.getParameters());
    }
    return outcome;
  }

  /** Zeroes the gradient of frozen pretrained rows, once per distinct table. */
  private void applyFreeze() {
    int sides = block.tiedTokenEmbedding() ? 1 : 2;
    for (int side = 0; side < sides; side++) {
      TokenEmbedding table = block.tokenEmbedding(side);
      if (table.frozenRowCount() > 0) {
        try (NDArray gradient = table.table().getArray().getGradient()) {
          table.applyFreeze(gradient);
        }
      }
    }
  }
}
