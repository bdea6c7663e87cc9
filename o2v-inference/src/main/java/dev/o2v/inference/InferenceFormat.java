package dev.o2v.core.inference;

import java.util.Locale;
import java.util.Optional;

/** The two body formats of inference requests and responses. */
public enum InferenceFormat {
  /** {@code {"instances": [...]}} in, {@code {"predictions": [...]}} out. */
  JSON("application/json"),
  /** One JSON object per line, in and out. */
  JSONLINES("application/jsonlines");

  private final String mediaType;

  InferenceFormat(String mediaType) {
    this.mediaType = mediaType;
  }

  /** The media type without parameters, e.g. {@code application/json}. */
  public String mediaType() {
    return mediaType;
  }

  /** The format of a bare media type (no parameters), compared case-insensitively. */
  public static Optional<InferenceFormat> ofMediaType(String type) {
    String wanted = type.trim().toLowerCase(Locale.ROOT);
    for (InferenceFormat format : values()) {
      if (format.mediaType.equals(wanted)) {
        return Optional.of(format);
      }
    }
    return Optional.empty();
  }
}
