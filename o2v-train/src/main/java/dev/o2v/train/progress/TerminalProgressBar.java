package dev.o2v.train.progress;

import java.io.PrintStream;
import java.util.function.LongSupplier;

/** A progress bar redrawn in place on a terminal (carriage return), at most ten times a second. */
public final class TerminalProgressBar implements ProgressListener {

  private static final long REDRAW_NANOS = 100_000_000L;
  private final PrintStream out;
  private final LongSupplier nanoClock;
  private final ProgressMeter meter;
  private int epoch;
  private int epochs;
  private long lastDraw;

  public TerminalProgressBar(PrintStream out, LongSupplier nanoClock) {
    this.out = out;
    this.nanoClock = nanoClock;
    this.meter = new ProgressMeter(nanoClock);
  }

  @Override
  public void epochStarted(int epoch, int totalEpochs, long totalRecords) {
    this.epoch = epoch;
    this.epochs = totalEpochs;
    meter.start(totalRecords);
    lastDraw = Long.MIN_VALUE;
  }

  @Override
  public void batchDone(long recordsDone, double meanLoss) {
    long now = nanoClock.getAsLong();
    if (lastDraw != Long.MIN_VALUE && now - lastDraw < REDRAW_NANOS) {
      return;
    }
    lastDraw = now;
    out.print('\r' + meter.line(epoch, epochs, recordsDone, meanLoss, 30));
    out.flush();
  }

  @Override
  public void epochFinished() {
    out.print("\r\033[2K");
    out.flush();
  }
}
