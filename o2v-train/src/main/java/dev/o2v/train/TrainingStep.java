package dev.o2v.train;

import ai.djl.ndarray.NDManager;
import dev.o2v.core.batch.Batch;
import dev.o2v.core.hp.EmbeddingStorage;
import dev.o2v.core.hp.Hyperparameters;
import dev.o2v.encoders.Object2VecBlock;
import dev.o2v.train.optim.TrainingOptimizer;

/**
 * One optimizer step on one mini-batch: forward, backward and the weight update.
 *
 * <p>A step updates the weights only when the batch loss is finite, so a diverging batch leaves
 * the model as it was before that batch. Part of an update may complete during the next step or
 * at {@link #close}: the weights and optimizer state are complete only once the step is closed.
 */
public interface TrainingStep extends AutoCloseable {

  /**
   * Trains on {@code batch}.
   *
   * @return the batch's mean loss (non-finite when the model diverged; then nothing was updated)
   *     and, for softmax, how many records were classified correctly
   */
  StepOutcome run(Batch batch);

  /**
   * Finishes any update a step left running or pending (a table's row update held for the next
   * step, the updates of dense table rows no batch has read since), so that the weights and
   * optimizer state are complete, and stops the step's helper thread. Call it before reading or
   * saving the weights or state.
   */
  @Override
  void close();

  /**
   * The step for {@code hp.embeddingStorage()}: dense updates of every weight, or lazy row-sparse
   * updates of the token tables.
   *
   * @param manager the manager holding the weights; each step works in a sub-manager of it
   */
  static TrainingStep create(
      Hyperparameters hp, Object2VecBlock block, TrainingOptimizer optimizer, NDManager manager) {
    return new GatheredRowsTrainingStep(
        block, optimizer, manager, hp.embeddingStorage() == EmbeddingStorage.ROW_SPARSE);
  }
}
