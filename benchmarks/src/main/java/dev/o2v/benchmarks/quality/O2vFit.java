package dev.o2v.benchmarks.quality;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.training.ParameterStore;
import dev.o2v.core.batch.Batch;
import dev.o2v.core.batch.BatchAssembler;
import dev.o2v.core.batch.BatchPlanner;
import dev.o2v.core.batch.EpochPlan;
import dev.o2v.core.batch.Seeds;
import dev.o2v.core.data.DatasetSummary;
import dev.o2v.core.data.PairDataset;
import dev.o2v.core.hp.Hyperparameters;
import dev.o2v.core.hp.OutputLayer;
import dev.o2v.encoders.Object2VecBlock;
import dev.o2v.train.BatchTensors;
import dev.o2v.train.StepOutcome;
import dev.o2v.train.TrainingStep;
import dev.o2v.train.model.LayerDefaultInitialisation;
import dev.o2v.train.model.TrainedModel;
import dev.o2v.train.optim.OptimizerFactory;
import dev.o2v.train.optim.TrainingOptimizer;
import dev.o2v.train.runtime.NoGradScope;
import java.util.function.ToDoubleBiFunction;

/**
 * o2v's side of the quality suite: the trainer's own network, batch plan and training step, with
 * the validation pairs scored after every epoch by a task's metric (the trainer itself reports
 * losses only). Seeds are derived as the trainer derives them, so a run is reproducible.
 */
final class O2vFit {

  private O2vFit() {}

  /**
   * Trains {@code hp.epochs()} epochs and scores the validation pairs after each.
   *
   * @param metric (predictions, labels) → score; predictions are class indexes for softmax and
   *     predicted values for regression
   * @return the score of each epoch, in order
   */
  static double[] run(
      Hyperparameters hp,
      PairDataset train,
      PairDataset validation,
      long seed,
      InitVariant init,
      ToDoubleBiFunction<double[], double[]> metric) {
    double[] scores = new double[hp.epochs()];
    try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
      Engine.getInstance().setRandomSeed((int) Seeds.derive(seed, -1));
      Object2VecBlock block = TrainedModel.newInitializedBlock(
          hp, LayerDefaultInitialisation.recurrenceFor(hp, train), manager);
      init.apply(block, manager);
      if (hp.outputLayer() == OutputLayer.MEAN_SQUARED_ERROR) {
        block.head().startAt((float) DatasetSummary.LabelStats.of(train).mean());
      }
      try (TrainingOptimizer optimizer =
          OptimizerFactory.create(hp.optimizer(), hp.learningRate(), hp.weightDecay())) {
        BatchPlanner planner = BatchPlanner.forTraining(train, hp, seed);
        for (int epoch = 1; epoch <= hp.epochs(); epoch++) {
          Engine.getInstance().setRandomSeed((int) Seeds.derive(seed, (1L << 40) + epoch));
          EpochPlan plan = planner.plan(epoch - 1);
          BatchAssembler assembler = new BatchAssembler(train);
          try (TrainingStep step = TrainingStep.create(hp, block, optimizer, manager)) {
            for (int b = 0; b < plan.batchCount(); b++) {
              StepOutcome outcome = step.run(assembler.assemble(plan, b));
              if (!Double.isFinite(outcome.meanLoss())) {
                throw new IllegalStateException("o2v diverged in epoch " + epoch);
              }
            }
          }
          double[][] predicted = predict(block, hp, validation, manager);
          scores[epoch - 1] = metric.applyAsDouble(predicted[0], predicted[1]);
        }
      }
    }
    return scores;
  }

  /** {predictions, labels} of every validation pair, in file order. */
  private static double[][] predict(
      Object2VecBlock block, Hyperparameters hp, PairDataset data, NDManager manager) {
    boolean softmax = hp.outputLayer() == OutputLayer.SOFTMAX;
    double[] predictions = new double[data.size()];
    double[] labels = new double[data.size()];
    EpochPlan plan = EpochPlan.inOrder(data.size(), 256);
    BatchAssembler assembler = new BatchAssembler(data);
    ParameterStore parameters = new ParameterStore(manager, false);
    int row = 0;
    try (NoGradScope ignored = NoGradScope.enter()) {
    for (int b = 0; b < plan.batchCount(); b++) {
      Batch batch = assembler.assemble(plan, b);
      try (NDManager batchManager = manager.newSubManager();
          NDScope scope = new NDScope()) {
        NDList inputs = BatchTensors.inputs(batchManager, batch);
        NDArray output = block.forward(parameters, inputs, false).singletonOrThrow();
        float[] values = softmax
            ? output.argMax(1).toType(ai.djl.ndarray.types.DataType.FLOAT32, false)
                .toFloatArray()
            : output.reshape(-1).toFloatArray();
        float[] batchLabels = batch.labels();
        for (int k = 0; k < batch.size(); k++) {
          predictions[row + k] = values[k];
          labels[row + k] = batchLabels[k];
        }
        row += batch.size();
      }
    }
    }
    return new double[][] {predictions, labels};
  }
}
