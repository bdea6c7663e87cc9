package dev.o2v.inference.serve;

import dev.o2v.inference.InferenceRequestException;

/** A {@code Content-Type} or {@code Accept} that names no supported format. */
final class UnsupportedMediaTypeException extends InferenceRequestException {

  private static final long serialVersionUID = 1L;

  /** An error with a one-line message naming the header and its value. */
  public UnsupportedMediaTypeException(String message) {
    super(message);
  }
}
