package dev.o2v.inference;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/** Receives how many input records a batch job has answered so far. */
public interface InferenceProgress {

  /** Called after each batch is written, with the records written so far. */
  void update(long recordsDone);

  /** Called once when the job ends, successfully or not. */
  void finish(long recordsDone);

  /** A listener that shows nothing. */
  static InferenceProgress silent() {
    return new InferenceProgress() {
      @Override
      public void update(long recordsDone) {}

      @Override
      public void finish(long recordsDone) {}
    };
  }

  /**
   * A status line redrawn in place on a terminal at most ten times a second, e.g. {@code predict:
   * 1250000 records 48210 rec/s 0:25}, and erased at the end.
   */
  static InferenceProgress terminal(String label, PrintStream out, LongSupplier nanoClock) {
    long start = nanoClock.getAsLong();
    return new InferenceProgress() {
      private long lastDraw = Long.MIN_VALUE;

      @Override
      public void update(long recordsDone) {
        long now = nanoClock.getAsLong();
        if (lastDraw != Long.MIN_VALUE && now - lastDraw < 100_000_000L) {
          return;
        }
        lastDraw = now;
        double seconds = (now - start) / 1e9;
        long s = Math.round(seconds);
        out.print(
            String.format(
                Locale.ROOT,
                "\r%s: %d records %.0f rec/s %d:%02d",
                label,
                recordsDone,
                seconds > 0 ? recordsDone / seconds : 0.0,
                s / 60,
                s % 60));
        out.flush();
      }

      @Override
      public void finish(long recordsDone) {
        out.print("\r\033[2K");
        out.flush();
      }
    };
  }
}
