package dev.o2v.inference;

import dev.o2v.core.hp.Hyperparameters;
import dev.o2v.inference.InferenceInstance;
import java.util.Locale;

/**
 * How many leading ids of each side inference keeps ({@code infer_max_seqlens}); longer sequences
 * are cut.
 *
 * @param in0 kept ids of side 0, in {@code [1, MAX]}
 * @param in1 kept ids of side 1, in {@code [1, MAX]}
 */
public record TruncationLengths(int in0, int in1) {

  /** The largest length a request may ask for. */
  public static final int MAX = 5000;

  /** Checks both lengths are in {@code [1, MAX]}. */
  public TruncationLengths {
    check("in0", in0);
    check("in1", in1);
  }

  /** The model's own {@code max_seq_len} of each side. */
  public static TruncationLengths of(Hyperparameters hp) {
    return new TruncationLengths(hp.enc0().maxSeqLen(), hp.enc1().maxSeqLen());
  }

  /**
   * Parses {@code "A,B"} (e.g. the value of the {@code infer_max_seqlens} content-type parameter).
   *
   * @throws IllegalArgumentException with a one-line message for any other form or range
   */
  public static TruncationLengths parse(String text) {
    String[] parts = text == null ? new String[0] : text.split(",", -1);
    if (parts.length != 2) {
      throw new IllegalArgumentException(
          "infer_max_seqlens must be two integers A,B, found '" + text + "'");
    }
    return new TruncationLengths(parseOne(parts[0], text), parseOne(parts[1], text));
  }

  /** The length of {@code side} (0 or 1). */
  public int of(int side) {
    return InferenceInstance.checkSide(side) == 0 ? in0 : in1;
  }

  private static int parseOne(String part, String whole) {
    try {
      return Integer.parseInt(part.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "infer_max_seqlens must be two integers A,B, found '" + whole + "'", e);
    }
  }

  private static void check(String side, int value) {
    if (value < 1 || value > MAX) {
      throw new IllegalArgumentException(
          String.format(
              Locale.ROOT, "infer_max_seqlens for %s must be in [1, %d], found %d", side, MAX,
              value));
    }
  }
}
