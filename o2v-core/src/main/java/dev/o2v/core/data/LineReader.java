package dev.o2v.core.data;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Splits a byte stream into {@code \n}-terminated lines without decoding them, so that a line
 * with invalid UTF-8 is reported by the JSON parser with its exact line number.
 *
 * <p>After {@link #next()} returns true the line is {@code buffer()[start() .. end())}; the bytes
 * stay valid until the next call.
 */
final class LineReader implements Closeable {

  private static final int INITIAL_BUFFER = 1 << 16;

  private final InputStream in;
  private final int maxLineBytes;
  private byte[] buf = new byte[INITIAL_BUFFER];
  private int pos;
  private int limit;
  private int scanned;
  private boolean eof;
  private long lineNumber;
  private int lineStart;
  private int lineEnd;

  LineReader(InputStream in, int maxLineBytes) {
    this.in = in;
    this.maxLineBytes = maxLineBytes;
  }

  /**
   * Advances to the next line.
   *
   * @return false at end of input
   * @throws LineTooLongException when a line exceeds the byte limit
   */
  boolean next() throws IOException {
    while (true) {
      int newline = indexOfNewline(Math.max(pos, scanned), limit);
      if (newline >= 0) {
        requireShortLine(newline - pos);
        return take(newline, newline + 1);
      }
      scanned = limit;
      if (eof) {
        return pos < limit && take(limit, limit);
      }
      requireShortLine(limit - pos);
      fill();
    }
  }

  byte[] buffer() {
    return buf;
  }

  int start() {
    return lineStart;
  }

  int end() {
    return lineEnd;
  }

  long lineNumber() {
    return lineNumber;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }

  private void requireShortLine(int bytes) throws LineTooLongException {
    if (bytes > maxLineBytes) {
      throw new LineTooLongException(lineNumber + 1);
    }
  }

  private boolean take(int end, int nextPos) {
    lineStart = pos;
    lineEnd = end;
    pos = nextPos;
    scanned = nextPos;
    lineNumber++;
    return true;
  }

  private int indexOfNewline(int from, int to) {
    byte[] b = buf;
    for (int i = from; i < to; i++) {
      if (b[i] == '\n') {
        return i;
      }
    }
    return -1;
  }

  /** Moves the unread tail to the front, grows the buffer when it is full, reads more bytes. */
  private void fill() throws IOException {
    int unread = limit - pos;
    if (pos > 0) {
      System.arraycopy(buf, pos, buf, 0, unread);
      scanned -= pos;
      pos = 0;
      limit = unread;
    }
    if (limit == buf.length) {
      buf = Arrays.copyOf(buf, buf.length * 2);
    }
    int n = in.read(buf, limit, buf.length - limit);
    if (n < 0) {
      eof = true;
    } else {
      limit += n;
    }
  }

  /** A line longer than the reader's limit; carries the line's number. */
  static final class LineTooLongException extends IOException {
    private final long line;

    LineTooLongException(long line) {
      super("line is longer than the limit");
      this.line = line;
    }

    long line() {
      return line;
    }
  }
}
