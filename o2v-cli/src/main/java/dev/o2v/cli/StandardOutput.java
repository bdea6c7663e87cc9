package dev.o2v.cli;

import dev.o2v.core.io.IoReasons;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Standard output that reports a failed write instead of hiding it.
 *
 * <p>{@link PrintStream} and {@link java.io.PrintWriter} swallow write errors, so {@code o2v
 * predict > full-disk/out.jsonl} used to end with exit 0 and a truncated file. The stream made
 * here throws {@link Failure} (unchecked, so it passes through every print method) on the first
 * failed write or flush; {@link ErrorMapper} turns it into exit 74, or into a quiet exit with the
 * SIGPIPE status when the reader of a pipe went away ({@code o2v predict ... | head -1}).
 */
final class StandardOutput {

  /** The exit status of a process ended by SIGPIPE as shells report it (128 + 13). */
  static final int CLOSED_PIPE_EXIT = 141;

  private StandardOutput() {}

  /** A print stream over file descriptor 1 that throws {@link Failure} when a write fails. */
  static PrintStream open() {
    return over(new FileOutputStream(FileDescriptor.out));
  }

  /** A print stream over {@code raw} that throws {@link Failure} when a write fails. */
  static PrintStream over(OutputStream raw) {
    return new PrintStream(
        new FailLoudly(new BufferedOutputStream(raw, 1 << 16)), false, StandardCharsets.UTF_8);
  }

  /** The failure of standard output: a full disk, a closed pipe, any I/O error. */
  static final class Failure extends UncheckedIOException {
    private static final long serialVersionUID = 1L;

    Failure(IOException cause) {
      super(cause.getMessage(), cause);
    }

    /** Whether the reader of a pipe closed it (EPIPE): nobody wants more output. */
    boolean closedPipe() {
      String message = String.valueOf(getCause().getMessage()).toLowerCase(Locale.ROOT);
      return message.contains("broken pipe");
    }

    /** The one-line reason for the user. */
    String describe() {
      return "cannot write to standard output: " + IoReasons.of(getCause());
    }
  }

  /** Rethrows each write or flush failure of the stream below as {@link Failure}. */
  private static final class FailLoudly extends FilterOutputStream {

    FailLoudly(OutputStream out) {
      super(out);
    }

    @Override
    public void write(int b) {
      try {
        out.write(b);
      } catch (IOException e) {
        throw new Failure(e);
      }
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
      try {
        out.write(bytes, offset, length);
      } catch (IOException e) {
        throw new Failure(e);
      }
    }

    @Override
    public void flush() {
      try {
        out.flush();
      } catch (IOException e) {
        throw new Failure(e);
      }
    }
  }
}
