package dev.o2v.train;

import java.util.Locale;

/** The loss became NaN or infinite; training stops and the last good checkpoint is kept. */
public final class TrainingDivergedException extends RuntimeException {

  public TrainingDivergedException(int epoch, int batch, double loss, String checkpoint) {
    super(
        String.format(
            Locale.ROOT,
            "training diverged: loss %s at epoch %d, batch %d; %s (try a lower learning_rate)",
            loss,
            epoch,
            batch,
            checkpoint));
  }
}
