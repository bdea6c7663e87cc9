package dev.o2v.core.batch;

/**
 * One mini-batch as padded primitive arrays, ready to become tensors with one call each.
 *
 * <p>Shapes, with {@code B = size()} and {@code T_s = maxLength(s)}: {@code ids(s)} is {@code
 * int[B * T_s]} row-major (record {@code r}'s ids at {@code [r * T_s, r * T_s + lengths(s)[r])},
 * zeros after), {@code lengths(s)} is {@code int[B]}, {@code labels()} is {@code float[B]}. The
 * arrays are owned by the batch; callers must not modify them.
 */
public final class Batch {

  private final int size;
  private final int[][] ids;
  private final int[][] lengths;
  private final int[] maxLength;
  private final float[] labels;

  Batch(int size, int[][] ids, int[][] lengths, int[] maxLength, float[] labels) {
    this.size = size;
    this.ids = ids;
    this.lengths = lengths;
    this.maxLength = maxLength;
    this.labels = labels;
  }

  /** Number of records {@code B}. */
  public int size() {
    return size;
  }

  /** Padded ids of a side, {@code int[B * maxLength(side)]}, padding is id 0. */
  public int[] ids(int side) {
    return ids[side];
  }

  /** True lengths of a side, {@code int[B]}; 0 for records without the side. */
  public int[] lengths(int side) {
    return lengths[side];
  }

  /** {@code T} of a side: the longest length in the batch. */
  public int maxLength(int side) {
    return maxLength[side];
  }

  /** Labels, {@code float[B]}; 0 for negatives. */
  public float[] labels() {
    return labels;
  }
}
