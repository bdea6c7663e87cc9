package dev.o2v.core.inference;

/**
 * One decoded inference input: the ids of {@code in0} and/or {@code in1}; an absent side is
 * {@code null}. Both sides present asks for scores, one side for that side's embedding.
 *
 * @param in0 ids of side 0, or null
 * @param in1 ids of side 1, or null
 */
public record InferenceInstance(int[] in0, int[] in1) {

  /** Checks that at least one side is present and no present side is empty. */
  public InferenceInstance {
    if (in0 == null && in1 == null) {
      throw new IllegalArgumentException("an instance needs in0, in1 or both");
    }
    if ((in0 != null && in0.length == 0) || (in1 != null && in1.length == 0)) {
      throw new IllegalArgumentException("a present side must not be empty");
    }
  }

  /** True when both sides are present (the instance is scored). */
  public boolean isPair() {
    return in0 != null && in1 != null;
  }

  /** The ids of side 0 or 1, or null when absent. */
  public int[] side(int side) {
    if (side != 0 && side != 1) {
      throw new IllegalArgumentException("side must be 0 or 1, found " + side);
    }
    return side == 0 ? in0 : in1;
  }

  /** The only present side of a single-side instance (0 or 1). */
  public int singleSide() {
    if (isPair()) {
      throw new IllegalStateException("a pair instance has two sides");
    }
    return in0 != null ? 0 : 1;
  }
}
