package dev.o2v.inference.serve;

import dev.o2v.inference.InferenceFormat;
import dev.o2v.inference.InferenceRequestDecoder;
import dev.o2v.inference.InferenceRequestException;
import dev.o2v.inference.TruncationLengths;
import dev.o2v.inference.internal.Shown;
import java.util.Locale;
import java.util.Optional;

/**
 * A parsed request {@code Content-Type}: the body format and the optional {@code
 * infer_max_seqlens} parameter.
 *
 * <p>A request without a {@code Content-Type} (or a blank one), or with {@code
 * application/octet-stream}, declares no format: SageMaker clients send such requests (a plain
 * {@code predictor.predict(json_text)} and SDK clients without a serializer), and the body is
 * then read as JSON, else as JSON Lines ({@link InferenceRequestDecoder#decode(byte[],
 * Optional)}).
 *
 * @param format the declared body format; empty when the body decides
 * @param maxSeqLens the requested truncation lengths, if the parameter was given
 */
record RequestContentType(
    Optional<InferenceFormat> format, Optional<TruncationLengths> maxSeqLens) {

  /** The media-type parameter that overrides truncation lengths. */
  public static final String MAX_SEQLENS_PARAMETER = "infer_max_seqlens";

  /** The generic binary type, which declares no format. */
  public static final String OCTET_STREAM = "application/octet-stream";

  /**
   * Parses a header value such as {@code application/json; infer_max_seqlens=10,20}. A {@code
   * charset} parameter must name UTF-8; other parameters are ignored.
   *
   * @param header the header value, or null when the request had none
   * @throws UnsupportedMediaTypeException when the type is not a supported format
   * @throws InferenceRequestException when {@code infer_max_seqlens} is malformed
   */
  public static RequestContentType parse(String header) {
    if (header == null || header.isBlank()) {
      return new RequestContentType(Optional.empty(), Optional.empty());
    }
    // split drops trailing empty strings, so a header of only semicolons has no parts at all.
    String[] parts = header.split(";");
    if (parts.length == 0) {
      throw new UnsupportedMediaTypeException(
          "Content-Type ';' names no media type: use application/json or application/jsonlines");
    }
    Optional<InferenceFormat> format = InferenceFormat.ofMediaType(parts[0]);
    if (format.isEmpty() && !parts[0].trim().equalsIgnoreCase(OCTET_STREAM)) {
      throw new UnsupportedMediaTypeException(
          "Content-Type '" + Shown.text(parts[0].trim())
              + "' is not supported: use application/json or application/jsonlines");
    }
    Optional<TruncationLengths> maxSeqLens = Optional.empty();
    for (int i = 1; i < parts.length; i++) {
      String parameter = parts[i].trim();
      int eq = parameter.indexOf('=');
      String name = (eq < 0 ? parameter : parameter.substring(0, eq)).trim();
      String value = eq < 0 ? "" : unquote(parameter.substring(eq + 1).trim());
      if (name.equalsIgnoreCase(MAX_SEQLENS_PARAMETER)) {
        maxSeqLens = Optional.of(TruncationLengths.parse(value));
      } else if (name.equalsIgnoreCase("charset") && !isUtf8(value)) {
        throw new UnsupportedMediaTypeException(
            "Content-Type charset '" + Shown.text(value) + "' is not supported: use utf-8");
      }
    }
    return new RequestContentType(format, maxSeqLens);
  }

  private static boolean isUtf8(String charset) {
    String c = charset.toLowerCase(Locale.ROOT);
    return c.equals("utf-8") || c.equals("utf8");
  }

  private static String unquote(String value) {
    return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
        ? value.substring(1, value.length() - 1)
        : value;
  }
}
