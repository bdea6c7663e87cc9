package dev.o2v.inference;

import java.io.Closeable;
import java.io.IOException;
import java.io.Writer;
import java.nio.channels.FileChannel;
import java.util.Locale;

/**
 * Writes inference results in input order, in one {@link OutputFormat}. Call {@link #write} per
 * result, then {@link #finish} once; {@link #close} alone abandons the output.
 */
public interface ResultWriter extends Closeable {

  /** Writes the next result. */
  void write(InferenceResult result) throws IOException;

  /** Completes the output (closing brackets, the array header) and flushes it. */
  void finish() throws IOException;

  /**
   * A writer of a text format to {@code out}.
   *
   * @throws IllegalArgumentException for {@link OutputFormat#NPY}, which needs a file
   */
  static ResultWriter text(OutputFormat format, Writer out) {
    return switch (format) {
      case JSONLINES -> new TextResultWriter(out, "", "\n", "", false);
      case JSON -> new TextResultWriter(out, "{\"predictions\":[", ",\n", "]}\n", false);
      case TSV -> new TextResultWriter(out, "", "\n", "", true);
      case NPY -> throw new IllegalArgumentException("npy output needs a file, not a stream");
    };
  }

  /** A writer of a float32 {@code [N, width]} .npy array into {@code file}. */
  static ResultWriter npy(FileChannel file, int width) throws IOException {
    return new NpyWriter(file, width);
  }

  /** Checks that a matrix row has the width of the first. */
  static void checkWidth(int expected, float[] row) {
    if (row.length != expected) {
      throw new IllegalStateException(
          String.format(Locale.ROOT, "row of %d values in a matrix of width %d", row.length,
              expected));
    }
  }
}
