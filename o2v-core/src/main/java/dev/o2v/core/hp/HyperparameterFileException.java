package dev.o2v.core.hp;

import java.nio.file.Path;
import java.util.List;

/**
 * A hyperparameter file that cannot be used as such: missing, unreadable, invalid JSON, or not a
 * JSON object. The single message line starts with the file name.
 */
public final class HyperparameterFileException extends HyperparameterException {

  private static final long serialVersionUID = 1L;

  private final transient Path file;

  /** Creates the exception for {@code file}; {@code detail} follows the file name. */
  public HyperparameterFileException(Path file, String detail, Throwable cause) {
    super(List.of(file + ": " + detail), cause);
    this.file = file;
  }

  /** The file that could not be used. */
  public Path file() {
    return file;
  }
}
