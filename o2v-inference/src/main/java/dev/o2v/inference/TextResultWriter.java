package dev.o2v.inference;

import java.io.IOException;
import java.io.Writer;

/**
 * JSON Lines, a {@code {"predictions": [...]}} document, or TSV rows, streamed to a writer.
 */
final class TextResultWriter implements ResultWriter {

  /**
   * Where a format puts its text around the results.
   *
   * @param before written before the first result (or before {@code emptyTail} when none)
   * @param between written between two results
   * @param lineEnd written after every result
   * @param tail written at the end after at least one result
   * @param emptyTail written at the end when there was no result
   * @param matrix true for TSV rows of plain numbers, false for JSON objects
   */
  record Layout(
      String before, String between, String lineEnd, String tail, String emptyTail,
      boolean matrix) {

    /** One result a line, as JSON objects or as tab-separated numbers. */
    static Layout lines(boolean matrix) {
      return new Layout("", "", "\n", "", "", matrix);
    }

    /** One {@code {"predictions": [...]}} document, one result a line (files, streams). */
    static final Layout JSON_DOCUMENT =
        new Layout("{\"predictions\":[", ",\n", "", "\n]}\n", "]}\n", false);

    /** One {@code {"predictions": [...]}} document without line breaks (HTTP answers). */
    static final Layout JSON_BODY = new Layout("{\"predictions\":[", ",", "", "]}", "]}", false);
  }

  private final Writer out;
  private final Layout layout;
  private final StringBuilder line = new StringBuilder(1024);
  private boolean first = true;
  private int width = -1;

  TextResultWriter(Writer out, Layout layout) {
    this.out = out;
    this.layout = layout;
  }

  @Override
  public void write(InferenceResult result) throws IOException {
    line.setLength(0);
    line.append(first ? layout.before() : layout.between());
    first = false;
    if (layout.matrix()) {
      width = width < 0 ? result.values().length : width;
      ResultWriter.checkWidth(width, result.values());
      JsonFloats.appendAll(line, result.values(), '\t');
    } else {
      JsonFloats.appendResult(line, result);
    }
    out.append(line.append(layout.lineEnd()));
  }

  @Override
  public void finish() throws IOException {
    out.append(first ? layout.before() + layout.emptyTail() : layout.tail());
    out.flush();
  }

  /** Flushes only: the writer belongs to the caller (it may be standard output). */
  @Override
  public void close() throws IOException {
    out.flush();
  }
}
