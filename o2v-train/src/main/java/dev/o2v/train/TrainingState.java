package dev.o2v.train;

import dev.o2v.train.stopping.EarlyStopping;

/**
 * Where a training run stands after a finished epoch: what a checkpoint records besides weights
 * and optimizer state.
 *
 * @param epoch the last finished epoch (0 before the first)
 * @param stopping early-stopping state after that epoch
 * @param history metrics so far
 * @param bestParameters file name (in the checkpoint directory) of the best epoch's weights
 */
public record TrainingState(
    int epoch, EarlyStopping.State stopping, TrainingHistory history, String bestParameters) {

  /** Before the first epoch. */
  public static TrainingState fresh() {
    return new TrainingState(0, EarlyStopping.State.initial(), TrainingHistory.empty(), "");
  }
}
