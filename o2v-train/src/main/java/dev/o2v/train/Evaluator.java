package dev.o2v.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.training.ParameterStore;
import dev.o2v.core.batch.Batch;
import dev.o2v.core.batch.BatchAssembler;
import dev.o2v.core.batch.EpochPlan;
import dev.o2v.core.data.PairDataset;
import dev.o2v.encoders.Object2VecBlock;
import dev.o2v.train.loss.PairLoss;
import dev.o2v.train.runtime.NoGradScope;
import dev.o2v.train.runtime.StepThreads;
import dev.o2v.train.runtime.StepWork;

/** Scores a labelled dataset with a model in inference mode (no dropout, no autograd). */
public final class Evaluator {

  /** Evaluation batches are at least this large: inference needs no gradients to keep. */
  private static final int MIN_BATCH = 256;

  private final Object2VecBlock block;
  private final PairLoss loss;
  private final int batchSize;

  public Evaluator(Object2VecBlock block, int trainingBatchSize) {
    this.block = block;
    this.loss = PairLoss.forOutput(block.hyperparameters().outputLayer());
    this.batchSize = Math.max(MIN_BATCH, trainingBatchSize);
  }

  /** Loss and accuracy over every record of {@code data}, in file order. */
  public EvaluationResult evaluate(PairDataset data, NDManager manager) {
    EpochPlan plan = EpochPlan.inOrder(data.size(), batchSize);
    BatchAssembler assembler = new BatchAssembler(data);
    ParameterStore parameters = new ParameterStore(manager, false);
    EvaluationResult result = new EvaluationResult(0, 0, 0);
    try (NoGradScope ignored = NoGradScope.enter();
        StepThreads.Scope threads =
            StepThreads.enter(StepWork.of(block.hyperparameters(), batchSize))) {
      for (int b = 0; b < plan.batchCount(); b++) {
        Batch batch = assembler.assemble(plan, b);
        try (NDManager batchManager = manager.newSubManager();
            NDScope scope = new NDScope()) {
          NDList inputs = BatchTensors.inputs(batchManager, batch);
          NDArray labels = BatchTensors.labels(batchManager, batch);
          NDArray output = block.forward(parameters, inputs, false).singletonOrThrow();
          double[] sums = loss.sums(output, labels);
          result = result.plus(batch.size(), sums[0], sums[1]);
        }
      }
    }
    return result;
  }
}
