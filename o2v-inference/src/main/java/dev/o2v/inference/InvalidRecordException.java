package dev.o2v.inference;

import dev.o2v.core.data.DataException;

/**
 * An inference record that cannot be answered (no request, or an id outside the vocabulary; an
 * empty side is answered from the zero encoding); the message reads {@code record INDEX: reason}.
 */
public final class InvalidRecordException extends DataException {

  private final int index;
  private final String reason;

  /**
   * Creates the exception for one record.
   *
   * @param index the 0-based position of the record in its batch
   * @param reason what is wrong, without the position
   */
  public InvalidRecordException(int index, String reason) {
    super("record " + index + ": " + reason);
    this.index = index;
    this.reason = reason;
  }

  /** The 0-based position of the bad record in the batch that was passed in. */
  public int index() {
    return index;
  }

  /** What is wrong with the record, without its position. */
  public String reason() {
    return reason;
  }
}
