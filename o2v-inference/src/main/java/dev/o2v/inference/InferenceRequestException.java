package dev.o2v.inference;

/** A request body or header that breaks the inference format; the message is one line. */
public class InferenceRequestException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** An error with a one-line message naming where and what. */
  public InferenceRequestException(String message) {
    super(message);
  }
}
