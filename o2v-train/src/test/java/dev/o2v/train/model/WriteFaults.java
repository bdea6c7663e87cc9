package dev.o2v.train.model;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.function.Predicate;

/** Makes chosen atomic file writes fail part-way, as on a disk that fills up mid-write. */
public final class WriteFaults {

  private WriteFaults() {}

  /**
   * From now on, writes of files whose name {@code failing} accepts throw "No space left on
   * device" after {@code bytesBeforeFailure} bytes; other writes are untouched.
   */
  public static void diskFullFor(Predicate<String> failing, long bytesBeforeFailure) {
    AtomicFiles.streamFilter = (target, out) ->
        failing.test(target.getFileName().toString()) ? fullAfter(out, bytesBeforeFailure) : out;
  }

  /** Every write succeeds again. */
  public static void clear() {
    AtomicFiles.streamFilter = (Path target, OutputStream out) -> out;
  }

  private static OutputStream fullAfter(OutputStream out, long budget) {
    return new FilterOutputStream(out) {
      private long written;

      @Override
      public void write(int b) throws IOException {
        spend(1);
        out.write(b);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        spend(len);
        out.write(b, off, len);
      }

      private void spend(int bytes) throws IOException {
        written += bytes;
        if (written > budget) {
          throw new IOException("No space left on device");
        }
      }
    };
  }
}
