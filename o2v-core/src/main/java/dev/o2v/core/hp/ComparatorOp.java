package dev.o2v.core.hp;

/** One operator of the comparator that joins the two encodings {@code e0} and {@code e1}. */
public enum ComparatorOp {
  /** {@code e0 ⊙ e1}, width d. */
  HADAMARD("hadamard"),
  /** {@code [e0; e1]}, width 2d. */
  CONCAT("concat"),
  /** {@code |e0 − e1|}, width d. */
  ABS_DIFF("abs_diff");

  private final String key;

  ComparatorOp(String key) {
    this.key = key;
  }

  /** The value as written in {@code comparator_list}. */
  public String key() {
    return key;
  }

  /** Output width of this operator for encodings of width {@code encDim}. */
  public int width(int encDim) {
    return this == CONCAT ? 2 * encDim : encDim;
  }
}
