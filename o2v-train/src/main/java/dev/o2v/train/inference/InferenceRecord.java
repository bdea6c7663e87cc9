package dev.o2v.train.inference;

/**
 * One inference request: the token ids of {@code in0}, of {@code in1}, or of both.
 *
 * <p>Both sides present asks for scores; one side asks for that side's embedding. The arrays are
 * not copied; callers must not change them while a run uses them.
 *
 * @param in0 ids of side 0, or null when absent
 * @param in1 ids of side 1, or null when absent
 */
public record InferenceRecord(int[] in0, int[] in1) {

  /** A pair to score. */
  public static InferenceRecord pair(int[] in0, int[] in1) {
    return new InferenceRecord(in0, in1);
  }

  /** A single sequence of {@code side} (0 or 1) to embed. */
  public static InferenceRecord single(int side, int[] ids) {
    return checkSide(side) == 0 ? new InferenceRecord(ids, null) : new InferenceRecord(null, ids);
  }

  /** True when the record carries {@code side}. */
  public boolean has(int side) {
    return ids(side) != null;
  }

  /** The ids of {@code side}, or null when absent. */
  public int[] ids(int side) {
    return checkSide(side) == 0 ? in0 : in1;
  }

  /** Both sides present: the record asks for scores. */
  public boolean isPair() {
    return in0 != null && in1 != null;
  }

  static int checkSide(int side) {
    if (side != 0 && side != 1) {
      throw new IllegalArgumentException("side must be 0 or 1, found " + side);
    }
    return side;
  }
}
