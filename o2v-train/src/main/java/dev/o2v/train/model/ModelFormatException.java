package dev.o2v.train.model;

import java.nio.file.Path;

/** A model directory or checkpoint that cannot be read: missing, incomplete, corrupt or too new. */
public final class ModelFormatException extends RuntimeException {

  public ModelFormatException(Path where, String reason) {
    super(where + ": " + reason);
  }

  public ModelFormatException(Path where, String reason, Throwable cause) {
    super(where + ": " + reason, cause);
  }
}
