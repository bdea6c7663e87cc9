package dev.o2v.core.data;

import java.util.Arrays;

/**
 * One parsed and validated record, as seen by a streaming consumer.
 *
 * <p>The reader reuses a single instance for every line, so its contents are valid only until the
 * next record is read; copy what must be kept ({@link #ids(int)} returns a copy). An absent side
 * (possible only for inference schemas) has length 0.
 */
public final class PairRecord {

  private final int[][] ids;
  private final int[] length = new int[2];
  private final int[] originalLength = new int[2];
  private final boolean[] present = new boolean[2];
  private final boolean[] truncated = new boolean[2];
  private boolean zeroId;
  private float label;
  private String source = "";
  private long line;

  PairRecord(int capacity0, int capacity1) {
    ids = new int[][] {new int[capacity0], new int[capacity1]};
  }

  /** True when the record carries the side's field ({@code in0} for 0, {@code in1} for 1). */
  public boolean has(int side) {
    return present[DataSchema.checkSide(side)];
  }

  /**
   * Number of ids kept for the side: after truncation and, where id 0 is padding, without its
   * zeros (see {@link ZeroIdRule}); 0 when the side is absent or nothing is left.
   */
  public int length(int side) {
    return length[DataSchema.checkSide(side)];
  }

  /** Number of ids the line held for the side before truncation. */
  public int originalLength(int side) {
    return originalLength[DataSchema.checkSide(side)];
  }

  /** True when the side was longer than its {@code max_seq_len} and was cut. */
  public boolean truncated(int side) {
    return truncated[DataSchema.checkSide(side)];
  }

  /** True when the line held id 0 in either side (before truncation). */
  public boolean containsZeroId() {
    return zeroId;
  }

  /** The id at {@code position} (0-based, below {@link #length(int)}) of a side. */
  public int id(int side, int position) {
    if (position < 0 || position >= length(side)) {
      throw new IndexOutOfBoundsException(
          "position " + position + " outside [0, " + length(side) + ")");
    }
    return ids[side][position];
  }

  /** A copy of the kept ids of a side (empty when absent). */
  public int[] ids(int side) {
    return Arrays.copyOf(ids[DataSchema.checkSide(side)], length[side]);
  }

  /** The label; 0 when labels are ignored. */
  public float label() {
    return label;
  }

  /** The file or stream name the record came from. */
  public String source() {
    return source;
  }

  /** The 1-based physical line number of the record. */
  public long line() {
    return line;
  }

  int[] buffer(int side) {
    return ids[side];
  }

  /** Doubles the buffer of a side, keeping its ids; returns the new buffer. */
  int[] grow(int side) {
    ids[side] = Arrays.copyOf(ids[side], Math.max(1, ids[side].length * 2));
    return ids[side];
  }

  void reset(String newSource, long newLine) {
    source = newSource;
    line = newLine;
    label = 0f;
    zeroId = false;
    for (int side = 0; side < 2; side++) {
      length[side] = 0;
      originalLength[side] = 0;
      present[side] = false;
      truncated[side] = false;
    }
  }

  void setSide(int side, int keptLength, int fullLength, boolean cut) {
    present[side] = true;
    length[side] = keptLength;
    originalLength[side] = fullLength;
    truncated[side] = cut;
  }

  void markZeroId() {
    zeroId = true;
  }

  void setLabel(float value) {
    label = value;
  }
}
