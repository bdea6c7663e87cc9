package dev.o2v.train;

/** Why training ended. */
public enum StopReason {
  /** Every requested epoch ran. */
  COMPLETED_EPOCHS,
  /** The loss stopped improving for {@code early_stopping_patience} epochs. */
  EARLY_STOPPING
}
