package dev.o2v.inference.retrieval;

/**
 * One line of a retrieval or neighbour input file: the sides it carries and the optional
 * {@code match} and {@code id} fields.
 *
 * @param source the file it came from
 * @param line its 1-based line number
 * @param in0 ids of {@code in0}, or null
 * @param in1 ids of {@code in1}, or null
 * @param match the 0-based corpus position of the true match ({@code "match"}), or -1
 * @param id the record's {@code "id"} (a JSON string or number, as text), or null
 */
public record SequenceLine(
    String source, long line, int[] in0, int[] in1, int match, String id) {

  /** The ids of side 0 or 1, or null when absent. */
  public int[] ids(int side) {
    return side == 0 ? in0 : in1;
  }
}
