package dev.o2v.inference;

import java.io.Closeable;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * Writes inference results in input order, in one {@link InferenceFormat}. Call {@link #write} per
 * result, then {@link #finish} once; {@link #close} alone abandons the output.
 *
 * <p>Its factories are the one place that knows how each format is written, for batch jobs and
 * HTTP answers alike.
 */
public interface ResultWriter extends Closeable {

  /** Writes the next result. */
  void write(InferenceResult result) throws IOException;

  /** Completes the output (closing brackets, the array header) and flushes it. */
  void finish() throws IOException;

  /**
   * A writer of a text format to {@code out} (a file or a stream).
   *
   * @throws IllegalArgumentException for {@link InferenceFormat#NPY}, which needs a file
   */
  static ResultWriter text(InferenceFormat format, Writer out) {
    return switch (format) {
      case JSONLINES -> new TextResultWriter(out, TextResultWriter.Layout.lines(false));
      case JSON -> new TextResultWriter(out, TextResultWriter.Layout.JSON_DOCUMENT);
      case TSV -> new TextResultWriter(out, TextResultWriter.Layout.lines(true));
      case NPY -> throw new IllegalArgumentException("npy output needs a file, not a stream");
    };
  }

  /**
   * The UTF-8 body of an HTTP answer: {@code {"predictions": [...]}} on one line, or one object
   * per line.
   *
   * @throws IllegalArgumentException for a format that is not a {@linkplain
   *     InferenceFormat#isWireFormat() wire format}
   */
  static byte[] body(List<InferenceResult> results, InferenceFormat format) {
    if (!format.isWireFormat()) {
      throw new IllegalArgumentException("an HTTP answer is JSON or JSON Lines, not " + format);
    }
    StringWriter text = new StringWriter(64 + results.size() * 128);
    try (ResultWriter writer = format == InferenceFormat.JSON
        ? new TextResultWriter(text, TextResultWriter.Layout.JSON_BODY)
        : text(format, text)) {
      for (InferenceResult result : results) {
        writer.write(result);
      }
      writer.finish();
    } catch (IOException e) {
      throw new UncheckedIOException("writing to memory failed", e);
    }
    return text.toString().getBytes(StandardCharsets.UTF_8);
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
