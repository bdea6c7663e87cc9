package dev.o2v.train.stopping;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Early stopping on a per-epoch loss, with the rule of SageMaker's Object2Vec.
 *
 * <p>Epochs are numbered from 0. The first {@code patience} epochs are not judged. From epoch
 * {@code patience} on, an epoch is <em>good</em> when the lowest of the {@code patience} losses
 * before it exceeds its loss by at least {@code tolerance}, and <em>bad</em> otherwise (a NaN loss
 * is always bad). A good epoch resets the count of bad epochs, a bad one adds one to it, and
 * training stops once the count exceeds {@code patience}. Apart from that verdict, the epoch with
 * the lowest loss so far (the earliest of equal ones) is the best: its weights are the model kept.
 *
 * <p>This class is the only place that applies the rule; callers act on its {@link Decision}.
 * The state is a value ({@link State}) so a checkpoint can carry it and a resumed run decides
 * alike. Each decision is logged in one INFO line.
 */
public final class EarlyStopping {

  private static final Logger LOG = LoggerFactory.getLogger(EarlyStopping.class);

  private final int patience;
  private final double tolerance;
  private State state = State.initial();

  /**
   * Everything the rule remembers between epochs.
   *
   * @param epochsSeen how many epochs were observed (the number of the next one)
   * @param recentLosses the losses of the last {@code min(epochsSeen, patience)} epochs, oldest
   *     first
   * @param badEpochs bad epochs since the last good one
   * @param bestEpoch the epoch with the lowest loss so far; -1 before the first epoch
   * @param bestLoss that epoch's loss; NaN before the first epoch
   * @param stopped whether the last decision was to stop
   */
  public record State(
      int epochsSeen,
      List<Double> recentLosses,
      int badEpochs,
      int bestEpoch,
      double bestLoss,
      boolean stopped) {

    public State {
      recentLosses = List.copyOf(recentLosses);
    }

    /** Before the first epoch. */
    public static State initial() {
      return new State(0, List.of(), 0, -1, Double.NaN, false);
    }
  }

  /** How an epoch was judged. */
  public enum Verdict {
    /** One of the first {@code patience} epochs, which are not judged. */
    NOT_JUDGED,
    /** The loss fell by at least the tolerance below the lowest of the previous losses. */
    GOOD,
    /** It did not. */
    BAD
  }

  /**
   * What one epoch's loss means for training.
   *
   * @param epoch the epoch observed
   * @param loss its loss
   * @param verdict how it was judged
   * @param previousMinimum the lowest of the previous {@code patience} losses; NaN when not
   *     judged
   * @param badEpochs bad epochs since the last good one, this one included
   * @param stop whether training stops after this epoch
   * @param newBest whether this epoch is the best so far (its weights are to be kept)
   * @param bestEpoch the best epoch so far
   * @param bestLoss its loss
   */
  public record Decision(
      int epoch,
      double loss,
      Verdict verdict,
      double previousMinimum,
      int badEpochs,
      boolean stop,
      boolean newBest,
      int bestEpoch,
      double bestLoss) {}

  /**
   * A rule with {@code patience} (at least 1) and an absolute {@code tolerance} (at least 0), the
   * values of {@code early_stopping_patience} and {@code early_stopping_tolerance}.
   */
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

  /**
   * Records epoch {@code epoch}'s loss, logs the decision and returns it.
   *
   * @throws IllegalStateException when training already stopped
   * @throws IllegalArgumentException when {@code epoch} is not the next epoch
   */
  public Decision observe(int epoch, double loss) {
    if (state.stopped()) {
      throw new IllegalStateException("early stopping already stopped training");
    }
    if (epoch != state.epochsSeen()) {
      throw new IllegalArgumentException(
          "expected epoch " + state.epochsSeen() + " next, found epoch " + epoch);
    }
    List<Double> window = state.recentLosses();
    boolean judged = window.size() == patience;
    double previousMinimum = judged ? minimum(window) : Double.NaN;
    Verdict verdict = !judged
        ? Verdict.NOT_JUDGED
        : previousMinimum - loss >= tolerance ? Verdict.GOOD : Verdict.BAD;
    int badEpochs = switch (verdict) {
      case NOT_JUDGED -> state.badEpochs();
      case GOOD -> 0;
      case BAD -> state.badEpochs() + 1;
    };
    boolean stop = badEpochs > patience;
    boolean newBest = state.bestEpoch() < 0 || lower(loss, state.bestLoss());
    int bestEpoch = newBest ? epoch : state.bestEpoch();
    double bestLoss = newBest ? loss : state.bestLoss();

    List<Double> nextWindow = new ArrayList<>(window);
    nextWindow.add(loss);
    if (nextWindow.size() > patience) {
      nextWindow.remove(0);
    }
    state = new State(epoch + 1, nextWindow, badEpochs, bestEpoch, bestLoss, stop);
    Decision decision = new Decision(
        epoch, loss, verdict, previousMinimum, badEpochs, stop, newBest, bestEpoch, bestLoss);
    LOG.info("{}", describe(decision));
    return decision;
  }

  /** The state after the last observed epoch, for a checkpoint. */
  public State state() {
    return state;
  }

  /**
   * Continues from a checkpoint's state.
   *
   * @throws IllegalArgumentException when the state cannot come from a rule with this patience
   */
  public void restore(State restored) {
    int expectedWindow = Math.min(restored.epochsSeen(), patience);
    if (restored.epochsSeen() < 0 || restored.recentLosses().size() != expectedWindow
        || restored.bestEpoch() >= restored.epochsSeen()
        || (restored.epochsSeen() > 0 && restored.bestEpoch() < 0)) {
      throw new IllegalArgumentException(String.format(Locale.ROOT,
          "early-stopping state after %d epochs with %d recent losses and best epoch %d does not"
              + " fit patience %d",
          restored.epochsSeen(), restored.recentLosses().size(), restored.bestEpoch(), patience));
    }
    this.state = restored;
  }

  /** One line, in words, saying what was decided and why. */
  String describe(Decision d) {
    StringBuilder line = new StringBuilder(String.format(
        Locale.ROOT, "early stopping: epoch %d loss %s", d.epoch(), number(d.loss())));
    switch (d.verdict()) {
      case NOT_JUDGED -> line.append(String.format(Locale.ROOT,
          ", not judged (epochs are judged from epoch %d on, patience %d)", patience, patience));
      case GOOD -> line.append(String.format(Locale.ROOT,
          " is %s below the lowest of the previous %d losses (%s), at least the tolerance %s:"
              + " good epoch, bad count back to 0",
          number(d.previousMinimum() - d.loss()), patience, number(d.previousMinimum()),
          number(tolerance)));
      case BAD -> line.append(String.format(Locale.ROOT,
          " is not %s or more below the lowest of the previous %d losses (%s; difference %s):"
              + " bad epoch, bad count %d (stop when above %d)",
          number(tolerance), patience, number(d.previousMinimum()),
          number(d.previousMinimum() - d.loss()), d.badEpochs(), patience));
      default -> throw new IllegalStateException(String.valueOf(d.verdict()));
    }
    line.append(String.format(Locale.ROOT, "; best epoch %d (loss %s)",
        d.bestEpoch(), number(d.bestLoss())));
    if (d.stop()) {
      line.append(String.format(Locale.ROOT,
          "; stopping: %d bad epochs exceed the patience %d, the model of epoch %d is kept",
          d.badEpochs(), patience, d.bestEpoch()));
    }
    return line.toString();
  }

  /** Whether {@code loss} beats {@code best}; any number beats NaN, NaN beats nothing. */
  private static boolean lower(double loss, double best) {
    return !Double.isNaN(loss) && (Double.isNaN(best) || loss < best);
  }

  /** The lowest non-NaN value, or NaN when there is none (so that every comparison fails). */
  private static double minimum(List<Double> values) {
    double min = Double.NaN;
    for (double v : values) {
      if (lower(v, min)) {
        min = v;
      }
    }
    return min;
  }

  /** Six significant digits without trailing zeros, e.g. {@code 0.181275} or {@code 0.01}. */
  private static String number(double value) {
    return Double.isFinite(value)
        ? new BigDecimal(value).round(new MathContext(6)).stripTrailingZeros().toPlainString()
        : String.valueOf(value);
  }

  @Override
  public String toString() {
    return String.format(
        Locale.ROOT, "EarlyStopping[patience=%d, tolerance=%g, %s]", patience, tolerance, state);
  }
}
