package dev.o2v.train;

import dev.o2v.train.stopping.EarlyStopping;

/**
 * Where a training run stands after a finished epoch: what a checkpoint records besides weights
 * and optimizer state.
 *
 * @param epochsDone how many epochs are finished; epochs are numbered from 0, so this is also the
 *     number of the next epoch
 * @param stopping early-stopping state after the last finished epoch
 * @param history metrics so far
 * @param bestParameters file name (in the checkpoint directory) of the best epoch's weights
 */
public record TrainingState(
    int epochsDone, EarlyStopping.State stopping, TrainingHistory history, String bestParameters) {

  /** Before the first epoch. */
  public static TrainingState fresh() {
    return new TrainingState(0, EarlyStopping.State.initial(), TrainingHistory.empty(), "");
  }

  /** The number of the last finished epoch; -1 before the first. */
  public int lastEpoch() {
    return epochsDone - 1;
  }
}
