package dev.o2v.inference;

import java.io.IOException;
import java.io.Writer;

/**
 * JSON Lines, a {@code {"predictions": [...]}} document, or TSV rows, streamed to a writer.
 */
final class TextResultWriter implements ResultWriter {

  private final Writer out;
  private final String before;
  private final String between;
  private final String after;
  private final boolean tsv;
  private final StringBuilder line = new StringBuilder(1024);
  private boolean first = true;
  private int width = -1;

  TextResultWriter(Writer out, String before, String between, String after, boolean tsv) {
    this.out = out;
    this.before = before;
    this.between = between;
    this.after = after;
    this.tsv = tsv;
  }

  @Override
  public void write(InferenceResult result) throws IOException {
    line.setLength(0);
    if (first) {
      line.append(before);
      first = false;
    } else if (!between.equals("\n")) {
      line.append(between);
    }
    if (tsv) {
      width = width < 0 ? result.values().length : width;
      ResultWriter.checkWidth(width, result.values());
      JsonFloats.appendAll(line, result.values(), '\t');
    } else {
      JsonFloats.appendResult(line, result);
    }
    if (between.equals("\n")) {
      line.append('\n');
    }
    out.append(line);
  }

  @Override
  public void finish() throws IOException {
    if (first) {
      out.append(before);
    }
    out.append(after.isEmpty() || first ? after : "\n" + after);
    out.flush();
  }

  /** Flushes only: the writer belongs to the caller (it may be standard output). */
  @Override
  public void close() throws IOException {
    out.flush();
  }
}
