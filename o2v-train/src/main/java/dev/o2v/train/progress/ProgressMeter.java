package dev.o2v.train.progress;

import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Turns records done and elapsed time into a rate and an ETA, and formats a progress line.
 *
 * <p>The clock is injected (nanoseconds) so the arithmetic is testable.
 */
final class ProgressMeter {

  private final LongSupplier nanoClock;
  private long startNanos;
  private long total;

  public ProgressMeter(LongSupplier nanoClock) {
    this.nanoClock = nanoClock;
  }

  /** Starts timing a run of {@code totalRecords} records. */
  public void start(long totalRecords) {
    this.total = totalRecords;
    this.startNanos = nanoClock.getAsLong();
  }

  /** Seconds since {@link #start}. */
  public double elapsedSeconds() {
    return (nanoClock.getAsLong() - startNanos) / 1e9;
  }

  /** Records per second so far (0 before any time has passed). */
  public double rate(long done) {
    double seconds = elapsedSeconds();
    return seconds > 0 ? done / seconds : 0;
  }

  /** Seconds left at the current rate, or NaN when unknown. */
  public double etaSeconds(long done) {
    double rate = rate(done);
    return rate > 0 ? (total - done) / rate : Double.NaN;
  }

  /**
   * E.g. {@code epoch 2 (3/10) [=====>    ]  52% 5200/10000 4120 rec/s loss 0.4312 ETA 0:01} for
   * epoch 2 (numbered from 0, as in the metric lines), the third of ten.
   */
  public String line(int epoch, int epochs, long done, double loss, int barWidth) {
    double fraction = total > 0 ? Math.min(1.0, (double) done / total) : 1.0;
    int filled = (int) Math.round(fraction * barWidth);
    StringBuilder bar = new StringBuilder(barWidth + 2).append('[');
    for (int i = 0; i < barWidth; i++) {
      bar.append(i < filled ? '=' : (i == filled ? '>' : ' '));
    }
    bar.append(']');
    return String.format(
        Locale.ROOT,
        "epoch %d (%d/%d) %s %3d%% %d/%d %.0f rec/s loss %.4f ETA %s",
        epoch,
        epoch + 1,
        epochs,
        bar,
        Math.round(fraction * 100),
        done,
        total,
        rate(done),
        loss,
        clock(etaSeconds(done)));
  }

  static String clock(double seconds) {
    if (!Double.isFinite(seconds)) {
      return "--:--";
    }
    long s = Math.round(seconds);
    return s >= 3600
        ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60)
        : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
  }
}
