package dev.o2v.inference;

import dev.o2v.core.hp.Hyperparameters;
import dev.o2v.inference.internal.Shown;
import java.util.Locale;

/**
 * How many leading ids of each side inference keeps ({@code infer_max_seqlens}, the media-type
 * parameter of a request or the {@code --infer-max-seqlens} option); longer sequences are cut.
 *
 * @param in0 kept ids of side 0, in {@code [MIN, MAX]}
 * @param in1 kept ids of side 1, in {@code [MIN, MAX]}
 */
public record TruncationLengths(int in0, int in1) {

  /** The smallest length a request may ask for. */
  public static final int MIN = 1;
  /** The largest length a request may ask for. */
  public static final int MAX = 5000;

  /** Checks both lengths are in {@code [MIN, MAX]}. */
  public TruncationLengths {
    check("in0", in0);
    check("in1", in1);
  }

  /** The model's own {@code max_seq_len} of each side. */
  public static TruncationLengths of(Hyperparameters hp) {
    return new TruncationLengths(hp.enc0().maxSeqLen(), hp.enc1().maxSeqLen());
  }

  /**
   * Parses {@code A,B}.
   *
   * @throws InferenceRequestException naming the parameter and the value when it is not two
   *     integers in {@code [MIN, MAX]}
   */
  public static TruncationLengths parse(String value) {
    String[] parts = value == null ? new String[0] : value.trim().split(",", -1);
    if (parts.length != 2) {
      throw invalid(value);
    }
    try {
      int a = Integer.parseInt(parts[0].trim());
      int b = Integer.parseInt(parts[1].trim());
      if (a < MIN || a > MAX || b < MIN || b > MAX) {
        throw invalid(value);
      }
      return new TruncationLengths(a, b);
    } catch (NumberFormatException e) {
      throw invalid(value);
    }
  }

  /** The length of {@code side} (0 or 1). */
  public int of(int side) {
    return InferenceInstance.checkSide(side) == 0 ? in0 : in1;
  }

  private static InferenceRequestException invalid(String value) {
    return new InferenceRequestException(String.format(Locale.ROOT,
        "infer_max_seqlens must be two integers in [%d, %d] separated by a comma, found '%s'",
        MIN, MAX, Shown.text(String.valueOf(value))));
  }

  private static void check(String side, int length) {
    if (length < MIN || length > MAX) {
      throw new IllegalArgumentException(String.format(Locale.ROOT,
          "infer_max_seqlens for %s must be in [%d, %d], found %d", side, MIN, MAX, length));
    }
  }
}
