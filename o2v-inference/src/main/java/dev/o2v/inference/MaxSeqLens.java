package dev.o2v.inference;

import java.util.Locale;

/**
 * Truncation lengths requested with the {@code infer_max_seqlens=A,B} media-type parameter.
 *
 * @param in0 keep at most this many ids of {@code in0}
 * @param in1 keep at most this many ids of {@code in1}
 */
public record MaxSeqLens(int in0, int in1) {

  /** The smallest accepted length. */
  public static final int MIN = 1;
  /** The largest accepted length. */
  public static final int MAX = 5000;

  /** Checks both lengths are in {@code [1, 5000]}. */
  public MaxSeqLens {
    check("in0", in0);
    check("in1", in1);
  }

  /** The length for side 0 or 1. */
  public int side(int side) {
    return side == 0 ? in0 : in1;
  }

  /**
   * Parses {@code A,B}.
   *
   * @throws InferenceRequestException naming the parameter and the value when it is not two
   *     integers in {@code [1, 5000]}
   */
  public static MaxSeqLens parse(String value) {
    String[] parts = value.trim().split(",", -1);
    if (parts.length != 2) {
      throw invalid(value);
    }
    try {
      int a = Integer.parseInt(parts[0].trim());
      int b = Integer.parseInt(parts[1].trim());
      if (a < MIN || a > MAX || b < MIN || b > MAX) {
        throw invalid(value);
      }
      return new MaxSeqLens(a, b);
    } catch (NumberFormatException e) {
      throw invalid(value);
    }
  }

  private static InferenceRequestException invalid(String value) {
    return new InferenceRequestException(String.format(Locale.ROOT,
        "infer_max_seqlens must be two integers in [%d, %d] separated by a comma, found '%s'",
        MIN, MAX, Shown.text(value)));
  }

  private static void check(String side, int length) {
    if (length < MIN || length > MAX) {
      throw new IllegalArgumentException(String.format(Locale.ROOT,
          "infer_max_seqlens for %s must be in [%d, %d], found %d", side, MIN, MAX, length));
    }
  }
}
