package dev.o2v.spark;

/**
 * A row that cannot be answered: an id outside its side's vocabulary or a null id (an empty
 * sequence, or text without tokens, embeds to zeros). It fails the task, and so the job, with a
 * message naming the row by its partition, its position in the partition and its input.
 */
public final class BadRowException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message the one-line description, naming the row
   */
  public BadRowException(String message) {
    super(message);
  }
}
