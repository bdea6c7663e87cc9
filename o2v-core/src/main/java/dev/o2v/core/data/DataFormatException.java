package dev.o2v.core.data;

/** A record line that breaks the data format; the message reads {@code FILE:LINE: reason}. */
public final class DataFormatException extends DataException {

  private final String source;
  private final long line;
  private final String reason;

  /**
   * Creates the exception for one line.
   *
   * @param source the file (or stream name) holding the line
   * @param line the 1-based physical line number
   * @param reason what is wrong, without file or line
   */
  public DataFormatException(String source, long line, String reason) {
    super(source + ":" + line + ": " + reason);
    this.source = source;
    this.line = line;
    this.reason = reason;
  }

  /** The file (or stream name) holding the bad line. */
  public String source() {
    return source;
  }

  /** The 1-based physical line number of the bad line. */
  public long line() {
    return line;
  }

  /** What is wrong with the line, without file or line number. */
  public String reason() {
    return reason;
  }
}
