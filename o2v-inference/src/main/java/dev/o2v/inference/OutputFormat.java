package dev.o2v.inference;

import java.util.Locale;

/** How batch inference writes its results. */
public enum OutputFormat {
  /** One {@code {"scores": [...]}} or {@code {"embeddings": [...]}} object per line. */
  JSONLINES,
  /** One {@code {"predictions": [...]}} document. */
  JSON,
  /** One line of tab-separated values per result (embedding export). */
  TSV,
  /** A float32 {@code [N, width]} NumPy array (embedding export; needs a file). */
  NPY;

  /**
   * The format a response media type names: {@code application/jsonlines} or {@code
   * application/json}.
   *
   * @throws IllegalArgumentException for any other media type
   */
  public static OutputFormat ofMediaType(String mediaType) {
    String type = mediaType.trim().toLowerCase(Locale.ROOT);
    return switch (type) {
      case "application/jsonlines" -> JSONLINES;
      case "application/json" -> JSON;
      default ->
          throw new IllegalArgumentException(
              "accept must be application/jsonlines or application/json, found " + mediaType);
    };
  }

  /** True for the formats that hold only same-width numeric rows (no scores/embeddings key). */
  public boolean isMatrix() {
    return this == TSV || this == NPY;
  }
}
