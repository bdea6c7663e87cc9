package dev.o2v.core.data;

import dev.o2v.core.io.IoReasons;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * A pull-style, bounded-memory walk over the records of one or more JSON Lines sources.
 *
 * <p>Call {@link #next()} until it returns false; {@link #current()} is the reused record. Memory
 * is one line buffer plus one record, whatever the input size. Not thread-safe.
 */
public final class JsonlRecordCursor implements Closeable {

  private final RecordLineParser parser;
  private final DataSchema schema;
  private final List<Source> sources;
  private final PairRecord record;
  private final int maxLineBytes;
  private int nextSource;
  private LineReader lines;
  private String sourceName;
  private long records;
  private long blankLines;
  private long discarded;
  private long zeroIdRecords;
  private final long[] truncated = new long[2];

  /** One input: a name for messages and a way to open it. */
  interface Source {
    String name();

    InputStream open() throws IOException;
  }

  JsonlRecordCursor(
      RecordLineParser parser, DataSchema schema, List<Source> sources, int maxLineBytes) {
    this.parser = parser;
    this.schema = schema;
    this.sources = List.copyOf(sources);
    this.maxLineBytes = maxLineBytes;
    this.record = new PairRecord(schema.maxSeqLen0(), schema.maxSeqLen1());
  }

  static Source fileSource(Path file) {
    return new Source() {
      @Override
      public String name() {
        return file.toString();
      }

      @Override
      public InputStream open() throws IOException {
        return Files.newInputStream(file);
      }
    };
  }

  static Source streamSource(InputStream in, String name) {
    return new Source() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public InputStream open() {
        return in;
      }
    };
  }

  /**
   * Reads the next non-blank line into {@link #current()}.
   *
   * @return false when every source is exhausted
   * @throws DataFormatException for a bad line
   * @throws ChannelException when a source cannot be opened or read
   */
  public boolean next() {
    try {
      while (true) {
        if (lines == null && !openNextSource()) {
          return false;
        }
        if (!lines.next()) {
          closeCurrent();
          continue;
        }
        if (isBlank(lines.buffer(), lines.start(), lines.end())) {
          blankLines++;
          continue;
        }
        parser.parse(lines.buffer(), lines.start(), lines.end(), sourceName,
            lines.lineNumber(), record);
        if (record.containsZeroId()) {
          zeroIdRecords++;
        }
        if (schema.discards(record.length(0), record.length(1))) {
          discarded++;
          continue;
        }
        countRecord();
        return true;
      }
    } catch (LineReader.LineTooLongException e) {
      throw new DataFormatException(sourceName, e.line(),
          "line is longer than " + maxLineBytes + " bytes");
    } catch (IOException e) {
      throw new ChannelException(sourceName + ": read error: " + IoReasons.of(e), e);
    } catch (UncheckedIOException e) {
      throw new ChannelException(sourceName + ": read error: " + IoReasons.of(e.getCause()), e);
    }
  }

  /** The record read by the last successful {@link #next()}; reused for every record. */
  public PairRecord current() {
    return record;
  }

  /** Records returned so far. */
  public long recordCount() {
    return records;
  }

  /**
   * Records skipped so far because a side had no id the network would see (empty, or only id 0
   * where id 0 is padding); only schemas that {@link DataSchema#discardsEmptySides()} skip any.
   */
  public long discardedCount() {
    return discarded;
  }

  /** Records read so far (returned or discarded) whose line held id 0 in either side. */
  public long zeroIdRecordCount() {
    return zeroIdRecords;
  }

  /** Whitespace-only lines skipped so far. */
  public long blankLineCount() {
    return blankLines;
  }

  /** Records so far whose side was longer than its {@code max_seq_len} and cut. */
  public long truncatedCount(int side) {
    return truncated[DataSchema.checkSide(side)];
  }

  @Override
  public void close() {
    try {
      closeCurrent();
    } catch (IOException e) {
      throw new ChannelException(sourceName + ": cannot close: " + IoReasons.of(e), e);
    }
  }

  private boolean openNextSource() throws IOException {
    if (nextSource >= sources.size()) {
      return false;
    }
    Source source = sources.get(nextSource++);
    sourceName = source.name();
    try {
      lines = new LineReader(source.open(), maxLineBytes);
    } catch (NoSuchFileException e) {
      throw new ChannelException(sourceName + ": no such file", e);
    }
    return true;
  }

  private void closeCurrent() throws IOException {
    if (lines != null) {
      LineReader open = lines;
      lines = null;
      open.close();
    }
  }

  private void countRecord() {
    records++;
    for (int side = 0; side < 2; side++) {
      if (record.truncated(side)) {
        truncated[side]++;
      }
    }
  }

  private static boolean isBlank(byte[] b, int start, int end) {
    for (int i = start; i < end; i++) {
      byte c = b[i];
      if (c != ' ' && c != '\t' && c != '\r') {
        return false;
      }
    }
    return true;
  }
}
