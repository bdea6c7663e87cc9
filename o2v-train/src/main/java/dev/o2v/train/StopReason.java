package dev.o2v.train;

/** Why training ended. */
public enum StopReason {
  /** Every requested epoch ran. */
  COMPLETED_EPOCHS,
  /** Early stopping saw more bad epochs in a row than {@code early_stopping_patience}. */
  EARLY_STOPPING
}
