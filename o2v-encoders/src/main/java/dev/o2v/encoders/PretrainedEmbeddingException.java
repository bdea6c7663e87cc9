package dev.o2v.encoders;

import java.nio.file.Path;
import java.util.OptionalLong;

/** A pretrained embedding or vocabulary file that cannot be used; the message names the place. */
public final class PretrainedEmbeddingException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final transient Path file;
  private final long line;

  /**
   * Creates the error.
   *
   * @param file the offending file
   * @param line 1-based line number, or 0 when the error is not tied to a line
   * @param reason what is wrong, without the file name
   */
  public PretrainedEmbeddingException(Path file, long line, String reason) {
    super(line > 0 ? file + ":" + line + ": " + reason : file + ": " + reason);
    this.file = file;
    this.line = line;
  }

  /** The offending file. */
  public Path file() {
    return file;
  }

  /** The 1-based line number, when the error is tied to one line. */
  public OptionalLong line() {
    return line > 0 ? OptionalLong.of(line) : OptionalLong.empty();
  }
}
