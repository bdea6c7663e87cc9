package dev.o2v.core.prepare;

import dev.o2v.core.data.DataException;

/**
 * Input to {@code o2v prepare} that cannot be used: a bad row, an unmapped label, an unreadable
 * file. The message is one line, {@code FILE:LINE: reason} when a line is to blame.
 */
public final class PrepareException extends DataException {

  /** Creates the exception; {@code message} should start with the offending file. */
  public PrepareException(String message) {
    super(message);
  }

  /** Creates the exception with the failure that caused it. */
  public PrepareException(String message, Throwable cause) {
    super(message, cause);
  }

  /** An exception for line {@code line} (1-based) of {@code source}. */
  public static PrepareException at(Object source, long line, String reason) {
    return new PrepareException(source + ":" + line + ": " + reason);
  }
}
