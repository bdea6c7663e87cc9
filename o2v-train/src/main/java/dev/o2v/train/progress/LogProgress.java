package dev.o2v.train.progress;

import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Progress as plain log lines every few seconds, for output that is not a terminal. */
public final class LogProgress implements ProgressListener {

  private static final Logger LOG = LoggerFactory.getLogger(LogProgress.class);
  private final LongSupplier nanoClock;
  private final long intervalNanos;
  private final ProgressMeter meter;
  private int epoch;
  private int epochs;
  private long lastLog;

  /** Logs at most once per {@code intervalSeconds}. */
  public LogProgress(LongSupplier nanoClock, double intervalSeconds) {
    this.nanoClock = nanoClock;
    this.intervalNanos = (long) (intervalSeconds * 1e9);
    this.meter = new ProgressMeter(nanoClock);
  }

  @Override
  public void epochStarted(int epoch, int totalEpochs, long totalRecords) {
    this.epoch = epoch;
    this.epochs = totalEpochs;
    meter.start(totalRecords);
    lastLog = nanoClock.getAsLong();
  }

  @Override
  public void batchDone(long recordsDone, double meanLoss) {
    long now = nanoClock.getAsLong();
    if (now - lastLog >= intervalNanos) {
      lastLog = now;
      LOG.info(meter.line(epoch, epochs, recordsDone, meanLoss, 20));
    }
  }

  @Override
  public void epochFinished() {}
}
