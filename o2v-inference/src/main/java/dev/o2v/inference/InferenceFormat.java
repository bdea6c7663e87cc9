package dev.o2v.inference;

import java.util.Locale;
import java.util.Optional;

/**
 * The formats of inference requests and results, each with its media type. Requests (HTTP bodies)
 * come in the two JSON formats; results go out in any of them from batch jobs and in the JSON
 * formats from the HTTP server.
 */
public enum InferenceFormat {
  /**
   * One JSON object per line: {@code {"in0": [...], "in1": [...]}} in, {@code {"scores": [...]}}
   * or {@code {"embeddings": [...]}} out.
   */
  JSONLINES("application/jsonlines"),
  /** {@code {"instances": [...]}} in, {@code {"predictions": [...]}} out. */
  JSON("application/json"),
  /** One line of tab-separated values per result (embedding export). */
  TSV("text/tab-separated-values"),
  /** A float32 {@code [N, width]} NumPy array (embedding export; needs a file). */
  NPY("application/x-npy");

  private final String mediaType;

  InferenceFormat(String mediaType) {
    this.mediaType = mediaType;
  }

  /** The media type without parameters, e.g. {@code application/json}. */
  public String mediaType() {
    return mediaType;
  }

  /** True for the formats of the inference wire contract: JSON and JSON Lines, in and out. */
  public boolean isWireFormat() {
    return this == JSON || this == JSONLINES;
  }

  /** True for the formats that hold only same-width numeric rows (no scores/embeddings key). */
  public boolean isMatrix() {
    return this == TSV || this == NPY;
  }

  /**
   * The wire format of a bare media type (no parameters), compared case-insensitively; empty for
   * any other type, the export formats' included.
   */
  public static Optional<InferenceFormat> ofMediaType(String type) {
    String wanted = type.trim().toLowerCase(Locale.ROOT);
    for (InferenceFormat format : values()) {
      if (format.isWireFormat() && format.mediaType.equals(wanted)) {
        return Optional.of(format);
      }
    }
    return Optional.empty();
  }

  /**
   * The answer format a media type names: {@code application/jsonlines} or {@code
   * application/json}.
   *
   * @throws IllegalArgumentException for any other media type
   */
  public static InferenceFormat ofAcceptType(String mediaType) {
    return ofMediaType(mediaType).orElseThrow(() -> new IllegalArgumentException(
        "accept must be application/jsonlines or application/json, found " + mediaType));
  }
}
