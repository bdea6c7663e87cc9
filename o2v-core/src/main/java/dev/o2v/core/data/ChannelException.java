package dev.o2v.core.data;

/**
 * A channel path that cannot be read: missing, empty directory, unreadable file or an I/O
 * failure; the message starts with the path.
 */
public final class ChannelException extends DataException {

  /** Creates the exception; {@code message} should start with the offending path. */
  public ChannelException(String message) {
    super(message);
  }

  /** Creates the exception with the I/O failure that caused it. */
  public ChannelException(String message, Throwable cause) {
    super(message, cause);
  }
}
