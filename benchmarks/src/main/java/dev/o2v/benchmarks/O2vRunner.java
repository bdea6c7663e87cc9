package dev.o2v.benchmarks;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.o2v.core.batch.Batch;
import dev.o2v.core.batch.BatchAssembler;
import dev.o2v.core.batch.BatchPlanner;
import dev.o2v.core.batch.EpochPlan;
import dev.o2v.core.data.PairDataset;
import dev.o2v.core.hp.Hyperparameters;
import dev.o2v.core.hp.OutputLayer;
import dev.o2v.encoders.Object2VecBlock;
import dev.o2v.train.BatchTensors;
import dev.o2v.train.loss.PairLoss;
import dev.o2v.train.model.TrainedModel;
import dev.o2v.train.optim.OptimizerFactory;
import dev.o2v.train.optim.TrainingOptimizer;
import dev.o2v.train.runtime.NoGradScope;

/**
 * Times o2v training steps and inference batches on one workload.
 *
 * <p>A training step is exactly the trainer's: assemble the planned batch, copy it into tensors,
 * forward and loss under a gradient collector, backward, read the loss back (the trainer checks it
 * for divergence), count correct predictions (softmax), then the optimizer step. Inference is the
 * scoring path: assemble, copy, {@link Object2VecBlock#score} with grad mode off, copy the scores
 * back to Java.
 */
public final class O2vRunner implements AutoCloseable {

  private final Workload workload;
  private final PairDataset data;
  private final Hyperparameters hp;
  private final NDManager manager;
  private final Object2VecBlock block;
  private final PairLoss loss;

  /** Builds and initialises the workload's network on {@code device}. */
  public O2vRunner(Workload workload, PairDataset data, Device device, long seed) {
    if (workload.sparse()) {
      throw new UnsupportedOperationException(
          "row_sparse step timing needs the lazy row-sparse training step; not available yet");
    }
    this.workload = workload;
    this.data = data;
    this.hp = workload.hyperparameters();
    this.manager = NDManager.newBaseManager(device);
    Engine.getInstance().setRandomSeed((int) seed);
    this.block = TrainedModel.newInitializedBlock(hp, manager);
    this.loss = PairLoss.forOutput(hp.outputLayer());
  }

  /** Number of trainable weights. */
  public long parameterCount() {
    long count = 0;
    for (var entry : block.getParameters()) {
      count += entry.getValue().getArray().size();
    }
    return count;
  }

  /** Runs the warm-up and the timed training windows. */
  public Rate train(long seed) {
    BatchPlanner planner = BatchPlanner.forTraining(data, hp, seed);
    BatchAssembler assembler = new BatchAssembler(data);
    ParameterStore parameters = new ParameterStore(manager, false);
    boolean softmax = hp.outputLayer() == OutputLayer.SOFTMAX;
    try (TrainingOptimizer optimizer =
        OptimizerFactory.create(hp.optimizer(), hp.learningRate(), hp.weightDecay())) {
      int[] epoch = {0};
      EpochPlan[] plan = {planner.plan(0)};
      int[] b = {0};
      return timed(() -> {
        if (b[0] == plan[0].batchCount()) {
          plan[0] = planner.plan(++epoch[0]);
          b[0] = 0;
        }
        Batch batch = assembler.assemble(plan[0], b[0]++);
        trainStep(batch, parameters, optimizer, softmax);
        return batch.size();
      });
    }
  }

  private void trainStep(
      Batch batch, ParameterStore parameters, TrainingOptimizer optimizer, boolean softmax) {
    try (NDManager batchManager = manager.newSubManager();
        NDScope scope = new NDScope()) {
      NDList inputs = BatchTensors.inputs(batchManager, batch);
      NDArray labels = BatchTensors.labels(batchManager, batch);
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        NDArray output = block.forward(parameters, inputs, true).singletonOrThrow();
        NDArray meanLoss = loss.mean(output, labels);
        collector.backward(meanLoss);
        double value = meanLoss.toType(DataType.FLOAT64, false).getDouble();
        if (!Double.isFinite(value)) {
          throw new IllegalStateException("training diverged in the benchmark: loss " + value);
        }
        if (softmax) {
          output.argMax(1).toType(DataType.INT64, false)
              .eq(labels.toType(DataType.INT64, false)).sum().toType(DataType.INT64, false)
              .getLong();
        }
      }
    }
    optimizer.step(block.getParameters());
  }

  /** Scores the dataset in order, batch by batch, with the same warm-up and windows. */
  public Rate infer() {
    EpochPlan plan = EpochPlan.inOrder(data.size(), workload.batch());
    BatchAssembler assembler = new BatchAssembler(data);
    ParameterStore parameters = new ParameterStore(manager, false);
    int[] next = {0};
    try (NoGradScope ignored = NoGradScope.enter()) {
      return timed(() -> {
        Batch batch = assembler.assemble(plan, next[0]);
        next[0] = (next[0] + 1) % plan.batchCount();
        try (NDManager batchManager = manager.newSubManager();
            NDScope scope = new NDScope()) {
          NDArray scores = block.score(parameters, BatchTensors.inputs(batchManager, batch));
          if (scores.toFloatArray().length == 0) {
            throw new IllegalStateException("no scores");
          }
        }
        return batch.size();
      });
    }
  }

  /** One step or batch; returns the records it processed. */
  private interface Step {
    int run();
  }

  /** Warm-up (a count and a minimum time), then the timed windows. */
  private Rate timed(Step step) {
    Workload.Steps steps = workload.steps();
    long warmStart = System.nanoTime();
    for (int s = 0;
        s < steps.warmup() || (System.nanoTime() - warmStart) / 1e9 < steps.warmupSeconds();
        s++) {
      step.run();
    }
    long[] windowRecords = new long[steps.repeats()];
    double[] windowSeconds = new double[steps.repeats()];
    double[] stepMillis = new double[steps.timed()];
    for (int s = 0; s < steps.timed(); s++) {
      long start = System.nanoTime();
      int records = step.run();
      double seconds = (System.nanoTime() - start) / 1e9;
      int window = s / steps.perRepeat();
      windowRecords[window] += records;
      windowSeconds[window] += seconds;
      stepMillis[s] = seconds * 1e3;
    }
    return Rate.of(windowRecords, windowSeconds, stepMillis);
  }

  @Override
  public void close() {
    manager.close();
  }
}
