package dev.o2v.core.batch;

/**
 * Encodes a training pair as one {@code long}: the record whose {@code in0} (and label) is used in
 * the low 32 bits, the record whose {@code in1} is used in the high 32 bits.
 *
 * <p>A positive (given) record {@code i} is {@code (i, i)}; a negative is {@code (i, j)} with
 * {@code j != i} and label 0. Negatives therefore cost 8 bytes each and copy no ids.
 */
public final class RecordRefs {

  private RecordRefs() {}

  /** The given record {@code i} with its own label. */
  public static long positive(int i) {
    return pair(i, i);
  }

  /** {@code in0} (and, when equal, the label) of record {@code in0Source}, {@code in1} of {@code
   * in1Source}. */
  public static long pair(int in0Source, int in1Source) {
    if (in0Source < 0 || in1Source < 0) {
      throw new IllegalArgumentException(
          "record indices must be >= 0, found " + in0Source + ", " + in1Source);
    }
    return ((long) in1Source << 32) | in0Source;
  }

  /** The record that supplies {@code in0}. */
  public static int in0Source(long ref) {
    return (int) ref;
  }

  /** The record that supplies {@code in1}. */
  public static int in1Source(long ref) {
    return (int) (ref >>> 32);
  }

  /** True for a generated negative (the two sides come from different records). */
  public static boolean isNegative(long ref) {
    return in0Source(ref) != in1Source(ref);
  }
}
