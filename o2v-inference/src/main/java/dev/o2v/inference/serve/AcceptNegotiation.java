package dev.o2v.inference.serve;

import dev.o2v.inference.InferenceFormat;
import dev.o2v.inference.internal.Shown;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Chooses the response format from an {@code Accept} header.
 *
 * <p>No header, a blank one, {@code *}{@code /*} or {@code application/*} answer in the request's
 * format. Otherwise the supported type with the highest {@code q} wins (ties: the first listed);
 * {@code q=0} excludes a type.
 */
final class AcceptNegotiation {

  private AcceptNegotiation() {}

  /**
   * The response format.
   *
   * @param accept the header value, or null
   * @param requestFormat the format of the request body
   * @throws UnsupportedMediaTypeException when no listed type is acceptable
   */
  public static InferenceFormat choose(String accept, InferenceFormat requestFormat) {
    if (accept == null || accept.isBlank()) {
      return requestFormat;
    }
    List<Range> ranges = new ArrayList<>();
    for (String entry : accept.split(",")) {
      Range range = Range.parse(entry);
      if (range.quality > 0) {
        ranges.add(range);
      }
    }
    // A stable sort keeps the listed order among equal qualities.
    ranges.sort(Comparator.comparingDouble((Range r) -> r.quality).reversed());
    for (Range range : ranges) {
      if (range.type.equals("*/*") || range.type.equals("application/*")) {
        return requestFormat;
      }
      var format = InferenceFormat.ofMediaType(range.type);
      if (format.isPresent()) {
        return format.get();
      }
    }
    throw new UnsupportedMediaTypeException(
        "Accept '" + Shown.text(accept.trim())
            + "' names no supported type: use application/json or application/jsonlines");
  }

  /** One media range of the header and its quality. */
  private static final class Range {
    final String type;
    final double quality;

    private Range(String type, double quality) {
      this.type = type;
      this.quality = quality;
    }

    static Range parse(String entry) {
      String[] parts = entry.split(";");
      double quality = 1;
      for (int i = 1; i < parts.length; i++) {
        String parameter = parts[i].trim().toLowerCase(Locale.ROOT);
        if (parameter.startsWith("q=")) {
          quality = parseQuality(parameter.substring(2).trim());
        }
      }
      return new Range(parts[0].trim().toLowerCase(Locale.ROOT), quality);
    }

    private static double parseQuality(String text) {
      try {
        double q = Double.parseDouble(text);
        return q >= 0 && q <= 1 ? q : 0;
      } catch (NumberFormatException e) {
        return 0;
      }
    }
  }
}
