package dev.o2v.core.synthetic;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes records in the training JSON Lines format: {@code {"label": 1, "in0": [6, 17], "in1":
 * [16, 21, 13]}}, one per line.
 */
public final class JsonlWriter implements Closeable {

  private final Writer out;
  private final boolean integerLabels;
  private final StringBuilder line = new StringBuilder(256);

  /**
   * A writer onto {@code out}.
   *
   * @param integerLabels write labels as integers (classes) rather than as decimal numbers
   */
  public JsonlWriter(Writer out, boolean integerLabels) {
    this.out = out;
    this.integerLabels = integerLabels;
  }

  /** A buffered UTF-8 writer creating or replacing {@code file}. */
  public static JsonlWriter create(Path file, boolean integerLabels) throws IOException {
    return new JsonlWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8), integerLabels);
  }

  /** Writes every example to {@code file}, replacing it. */
  public static void writeAll(Path file, Iterable<PairExample> examples, boolean integerLabels)
      throws IOException {
    try (JsonlWriter writer = create(file, integerLabels)) {
      for (PairExample e : examples) {
        writer.write(e);
      }
    }
  }

  /** Appends one record line. */
  public void write(PairExample example) throws IOException {
    line.setLength(0);
    line.append("{\"label\": ");
    if (integerLabels) {
      line.append(Math.round(example.label()));
    } else {
      line.append((float) example.label());
    }
    appendIds(", \"in0\": [", example.in0());
    appendIds("], \"in1\": [", example.in1());
    line.append("]}\n");
    out.append(line);
  }

  private void appendIds(String prefix, int[] ids) {
    line.append(prefix);
    for (int k = 0; k < ids.length; k++) {
      if (k > 0) {
        line.append(", ");
      }
      line.append(ids[k]);
    }
  }

  @Override
  public void close() throws IOException {
    out.close();
  }
}
