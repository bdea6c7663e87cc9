package dev.o2v.train.stopping;

import java.util.Locale;

/**
 * Early stopping on a loss, with patience and an absolute tolerance.
 *
 * <p>An epoch improves when {@code best − loss ≥ tolerance}; training stops after {@code
 * patience} consecutive epochs without improvement. The first finite loss always improves. The
 * state is a value ({@link State}) so a checkpoint can carry it and a resumed run decides alike.
 */
public final class EarlyStopping {

  private final int patience;
  private final double tolerance;
  private State state = State.initial();

  /** Serializable state: best loss and epoch so far, and the current run of non-improvements. */
  public record State(double bestLoss, int bestEpoch, int epochsWithoutImprovement) {
    /** Before the first epoch. */
    public static State initial() {
      return new State(Double.POSITIVE_INFINITY, 0, 0);
    }
  }

  /** What one epoch's loss means for training. */
  public record Decision(boolean improved, boolean stop, int bestEpoch, double bestLoss) {}

  public EarlyStopping(int patience, double tolerance) {
    if (patience < 1) {
      throw new IllegalArgumentException("patience must be >= 1, found " + patience);
    }
    if (!(tolerance >= 0)) {
      throw new IllegalArgumentException("tolerance must be >= 0, found " + tolerance);
    }
    this.patience = patience;
    this.tolerance = tolerance;
  }

  /** Records epoch {@code epoch}'s loss and says whether it is the new best and whether to stop. */
  public Decision observe(int epoch, double loss) {
    boolean first = state.bestEpoch() == 0;
    boolean improved =
        Double.isFinite(loss) && (first || state.bestLoss() - loss >= tolerance);
    if (improved) {
      state = new State(loss, epoch, 0);
    } else {
      state =
          new State(state.bestLoss(), state.bestEpoch(), state.epochsWithoutImprovement() + 1);
    }
    boolean stop = state.epochsWithoutImprovement() >= patience;
    return new Decision(improved, stop, state.bestEpoch(), state.bestLoss());
  }

  public State state() {
    return state;
  }

  /** Restores the state of a checkpoint. */
  public void restore(State restored) {
    this.state = restored;
  }

  @Override
  public String toString() {
    return String.format(
        Locale.ROOT, "EarlyStopping[patience=%d, tolerance=%g, %s]", patience, tolerance, state);
  }
}
