package dev.o2v.core.prepare;

/**
 * The three chosen values of one input row, stripped of surrounding white space, never empty.
 *
 * @param line the 1-based line where the row starts
 * @param in0 the value of the {@code --in0} column
 * @param in1 the value of the {@code --in1} column
 * @param label the value of the {@code --label} column
 */
public record TextRow(long line, String in0, String in1, String label) {

  /** The value of side 0 or 1. */
  public String side(int side) {
    return side == 0 ? in0 : in1;
  }
}
