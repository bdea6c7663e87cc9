package dev.o2v.inference;

/**
 * One inference request: the token ids of {@code in0}, of {@code in1}, or of both; an absent side
 * is {@code null}. Both sides present asks for scores, one side for that side's embedding.
 *
 * <p>Requests decoded from HTTP bodies, lines of a batch file and neighbour queries all arrive
 * as instances. The arrays are not copied; callers must not change them while a run uses them.
 *
 * @param in0 ids of side 0, or null
 * @param in1 ids of side 1, or null
 */
public record InferenceInstance(int[] in0, int[] in1) {

  /**
   * Checks that at least one side is present. A present side may be empty: the network sees it,
   * like a side of only id 0 where id 0 is padding, as the zero encoding.
   */
  public InferenceInstance {
    if (in0 == null && in1 == null) {
      throw new IllegalArgumentException("an instance needs in0, in1 or both");
    }
  }

  /** A pair to score. */
  public static InferenceInstance pair(int[] in0, int[] in1) {
    return new InferenceInstance(in0, in1);
  }

  /** A single sequence of {@code side} (0 or 1) to embed. */
  public static InferenceInstance single(int side, int[] ids) {
    return checkSide(side) == 0
        ? new InferenceInstance(ids, null)
        : new InferenceInstance(null, ids);
  }

  /** True when both sides are present (the instance is scored). */
  public boolean isPair() {
    return in0 != null && in1 != null;
  }

  /** True when the instance carries {@code side}. */
  public boolean has(int side) {
    return ids(side) != null;
  }

  /** The ids of side 0 or 1, or null when absent. */
  public int[] ids(int side) {
    return checkSide(side) == 0 ? in0 : in1;
  }

  /** The only present side of a single-side instance (0 or 1). */
  public int singleSide() {
    if (isPair()) {
      throw new IllegalStateException("a pair instance has two sides");
    }
    return in0 != null ? 0 : 1;
  }

  /** {@code side} itself when it is 0 or 1. */
  public static int checkSide(int side) {
    if (side != 0 && side != 1) {
      throw new IllegalArgumentException("side must be 0 or 1, found " + side);
    }
    return side;
  }
}
