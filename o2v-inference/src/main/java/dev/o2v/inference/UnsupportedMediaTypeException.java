package dev.o2v.inference;

/** A {@code Content-Type} or {@code Accept} that names no supported format. */
public final class UnsupportedMediaTypeException extends InferenceRequestException {

  private static final long serialVersionUID = 1L;

  /** An error with a one-line message naming the header and its value. */
  public UnsupportedMediaTypeException(String message) {
    super(message);
  }
}
