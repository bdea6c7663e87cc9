package dev.o2v.core.io;

import java.io.FilterReader;
import java.io.IOException;
import java.io.Reader;

/**
 * A reader that fails when a line grows past a limit, so line-oriented parsers stay within bounded
 * memory on input without line breaks ({@code /dev/zero}, a binary file given by mistake).
 */
public final class LineLengthLimit extends FilterReader {

  private final long maxChars;
  private long lineNumber = 1;
  private long lineLength;

  /** Wraps {@code in}; a line of more than {@code maxChars} characters fails the read. */
  public LineLengthLimit(Reader in, long maxChars) {
    super(in);
    if (maxChars < 1) {
      throw new IllegalArgumentException("maxChars must be >= 1, found " + maxChars);
    }
    this.maxChars = maxChars;
  }

  @Override
  public int read() throws IOException {
    int c = super.read();
    if (c >= 0) {
      count((char) c);
    }
    return c;
  }

  @Override
  public int read(char[] buffer, int offset, int length) throws IOException {
    int n = super.read(buffer, offset, length);
    for (int i = offset; i < offset + Math.max(n, 0); i++) {
      count(buffer[i]);
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    throw new IOException("skip is not supported");
  }

  private void count(char c) throws LineTooLongException {
    if (c == '\n') {
      lineNumber++;
      lineLength = 0;
    } else if (++lineLength > maxChars) {
      throw new LineTooLongException(lineNumber, maxChars);
    }
  }

  /** A line past the limit; carries its 1-based number. */
  public static final class LineTooLongException extends IOException {
    private static final long serialVersionUID = 1L;
    private final long line;

    LineTooLongException(long line, long limit) {
      super(String.format(java.util.Locale.ROOT,
          "line is longer than %,d characters, the limit (is this a text file?)", limit));
      this.line = line;
    }

    /** The 1-based number of the line that is too long. */
    public long line() {
      return line;
    }
  }
}
