package dev.o2v.api;

/**
 * One input of a call cannot be answered: it is null, an id lies outside its side's
 * vocabulary, or a text holds a word the vocabulary lacks and has no {@code <unk>} for. Nothing
 * of the call was computed. The message reads {@code input INDEX: reason}.
 */
public final class InvalidInputException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  /** The 0-based position of the input. */
  private final int index;

  /** What is wrong, without the position. */
  private final String reason;

  /**
   * Creates the exception for one input.
   *
   * @param index the 0-based position of the input in the call's list
   * @param reason what is wrong, without the position
   */
  public InvalidInputException(int index, String reason) {
    super("input " + index + ": " + reason);
    this.index = index;
    this.reason = reason;
  }

  /**
   * Where the bad input is.
   *
   * @return its 0-based position in the list the call was given
   */
  public int index() {
    return index;
  }

  /**
   * What is wrong with the input.
   *
   * @return the reason, without the position
   */
  public String reason() {
    return reason;
  }
}
