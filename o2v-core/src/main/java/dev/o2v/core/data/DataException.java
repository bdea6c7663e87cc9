package dev.o2v.core.data;

/**
 * Input data that cannot be used: a bad record, a missing channel or an unreadable file.
 *
 * <p>The message is one line meant for the user; command-line front ends map this type to the
 * "data error" exit code.
 */
public class DataException extends RuntimeException {

  /** Creates an exception with a one-line, user-facing message. */
  public DataException(String message) {
    super(message);
  }

  /** Creates an exception with a one-line, user-facing message and the underlying cause. */
  public DataException(String message, Throwable cause) {
    super(message, cause);
  }
}
