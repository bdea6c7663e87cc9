package dev.o2v.benchmarks;

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
import dev.o2v.core.data.PairDataset;
import dev.o2v.core.hp.Hyperparameters;
import dev.o2v.encoders.Object2VecBlock;
import dev.o2v.train.BatchTensors;
import dev.o2v.train.TrainingStep;
import dev.o2v.train.model.TrainedModel;
import dev.o2v.train.optim.OptimizerFactory;
import dev.o2v.train.optim.TrainingOptimizer;
import dev.o2v.train.runtime.NoGradScope;
import dev.o2v.train.runtime.StepThreads;
import dev.o2v.train.runtime.StepWork;

/**
 * Times o2v training steps and inference batches on one workload.
 *
 * <p>A training step is the trainer's own {@link TrainingStep} (dense or row-sparse, as the
 * workload's hyperparameters say) on a batch planned and assembled as the trainer does. Inference is the
 * scoring path: assemble, copy, {@link Object2VecBlock#score} with grad mode off, copy the scores
 * back to Java.
 */
public final class O2vRunner implements AutoCloseable {

  private final Workload workload;
  private final PairDataset data;
  private final Hyperparameters hp;
  private final NDManager manager;
  private final Object2VecBlock block;
  private TrainingOptimizer optimizer;

  /** Builds and initialises the workload's network on {@code device}. */
  public O2vRunner(Workload workload, PairDataset data, Device device, long seed) {
    this.workload = workload;
    this.data = data;
    this.hp = workload.hyperparameters();
    this.manager = NDManager.newBaseManager(device);
    Engine.getInstance().setRandomSeed((int) seed);
    this.block = TrainedModel.newInitializedBlock(hp, manager);
  }

  /** Number of trainable weights. */
  public long parameterCount() {
    long count = 0;
    for (var entry : block.getParameters()) {
      count += entry.getValue().getArray().size();
    }
    return count;
  }

  /**
   * Runs the warm-up and the timed training windows. The optimizer (and so its state) lives as
   * long as this runner, as in a training run: a second call continues training, so it does not
   * pay for creating the state again.
   */
  public Rate train(long seed) {
    return train(seed, workload.steps());
  }

  /**
   * {@link #train(long)} with another plan of warm-up and windows, such as a short warm-up for a
   * runner whose step the JIT has already compiled.
   */
  public Rate train(long seed, Workload.Steps steps) {
    BatchPlanner planner = BatchPlanner.forTraining(data, hp, seed);
    BatchAssembler assembler = new BatchAssembler(data);
    if (optimizer == null) {
      optimizer = OptimizerFactory.create(hp.optimizer(), hp.learningRate(), hp.weightDecay());
    }
    int[] epoch = {0};
    EpochPlan[] plan = {planner.plan(0)};
    int[] b = {0};
    try (StepThreads.Scope threads = StepThreads.enter(hp);
        TrainingStep step = TrainingStep.create(hp, block, optimizer, manager)) {
      return timed(steps, () -> {
        if (b[0] == plan[0].batchCount()) {
          plan[0] = planner.plan(++epoch[0]);
          b[0] = 0;
        }
        Batch batch = assembler.assemble(plan[0], b[0]++);
        double loss = step.run(batch).meanLoss();
        if (!Double.isFinite(loss)) {
          throw new IllegalStateException("training diverged in the benchmark: loss " + loss);
        }
        return batch.size();
      });
    }
  }

  /** Scores the dataset in order, batch by batch, with the same warm-up and windows. */
  public Rate infer() {
    EpochPlan plan = EpochPlan.inOrder(data.size(), workload.batch());
    BatchAssembler assembler = new BatchAssembler(data);
    ParameterStore parameters = new ParameterStore(manager, false);
    int[] next = {0};
    // As a model loaded for inference is (TrainedModel); thawed again for later training steps.
    block.freezeWeights();
    try (NoGradScope ignored = NoGradScope.enter();
        StepThreads.Scope threads = StepThreads.enter(StepWork.of(hp, workload.batch()))) {
      return timed(workload.steps(), () -> {
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
    } finally {
      block.thawWeights();
    }
  }

  /** One step or batch; returns the records it processed. */
  private interface Step {
    int run();
  }

  /** Warm-up (a count and a minimum time), then the timed windows. */
  private static Rate timed(Workload.Steps steps, Step step) {
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
    if (optimizer != null) {
      optimizer.close();
    }
    manager.close();
  }
}
