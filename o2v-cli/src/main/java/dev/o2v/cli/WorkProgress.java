package dev.o2v.cli;

import dev.o2v.inference.InferenceProgress;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Progress of long retrieval and neighbour work: a status line redrawn in place on a terminal,
 * otherwise a log line every ten seconds (so redirected runs still show they are alive).
 */
final class WorkProgress {

  private static final Logger LOG = LoggerFactory.getLogger(WorkProgress.class);
  private static final long LOG_EVERY_NANOS = 10_000_000_000L;

  private WorkProgress() {}

  /** The progress listener for {@code label} out of {@code total} items. */
  static InferenceProgress of(String label, long total) {
    if (Terminals.stderrIsTerminal()) {
      return InferenceProgress.terminal(label, System.err, System::nanoTime);
    }
    long start = System.nanoTime();
    return new InferenceProgress() {
      private long lastLog = start;

      @Override
      public void update(long done) {
        long now = System.nanoTime();
        if (now - lastLog >= LOG_EVERY_NANOS) {
          lastLog = now;
          LOG.info("{}: {} of {} ({} %)", label, done, total,
              String.format(Locale.ROOT, "%.1f", total > 0 ? 100.0 * done / total : 100.0));
        }
      }

      @Override
      public void finish(long done) {}
    };
  }
}
