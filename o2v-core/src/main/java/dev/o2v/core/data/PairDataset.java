package dev.o2v.core.data;

import java.util.Arrays;
import java.util.Locale;

/**
 * An immutable, compact set of records: the ids of each side in one primitive array with
 * offsets, labels in a float array, no object per record.
 *
 * <p>Cost: 4 bytes per token plus 12 bytes per record (two offsets and a label). Record {@code i}
 * of side {@code s} is {@code tokens[s][offsets[s][i] .. offsets[s][i + 1])}; an absent side
 * (inference data only) has length 0.
 */
public final class PairDataset {

  private static final long ARRAY_HEADER_BYTES = 16;
  private static final long OBJECT_BYTES = 64;

  private final DataSchema schema;
  private final int size;
  private final int[][] tokens;
  private final int[][] offsets;
  private final float[] labels;
  private final long[] truncated;
  private final long discarded;
  private final long zeroIdRecords;

  private PairDataset(Builder b) {
    schema = b.schema;
    size = b.size;
    tokens = new int[2][];
    offsets = new int[2][];
    for (int side = 0; side < 2; side++) {
      tokens[side] = Arrays.copyOf(b.tokens[side], b.offsets[side][b.size]);
      offsets[side] = Arrays.copyOf(b.offsets[side], b.size + 1);
    }
    labels = Arrays.copyOf(b.labels, b.size);
    truncated = b.truncated.clone();
    discarded = b.discarded;
    zeroIdRecords = b.zeroIdRecords;
  }

  /** A builder for records of the given schema. */
  public static Builder builder(DataSchema schema) {
    return new Builder(schema);
  }

  /** The schema the records were validated against. */
  public DataSchema schema() {
    return schema;
  }

  /** Number of records. */
  public int size() {
    return size;
  }

  /** Number of ids of record {@code i} on a side (after truncation; 0 when absent). */
  public int length(int side, int i) {
    int[] off = offsets[DataSchema.checkSide(side)];
    return off[i + 1] - off[i];
  }

  /** True when record {@code i} carries the side. */
  public boolean has(int side, int i) {
    return length(side, i) > 0;
  }

  /** The id at {@code position} of record {@code i} on a side. */
  public int id(int side, int i, int position) {
    int len = length(side, i);
    if (position < 0 || position >= len) {
      throw new IndexOutOfBoundsException("position " + position + " outside [0, " + len + ")");
    }
    return tokens[side][offsets[side][i] + position];
  }

  /** Copies the ids of record {@code i} on a side into {@code dest} starting at {@code destPos}. */
  public void copyIds(int side, int i, int[] dest, int destPos) {
    int start = offsets[DataSchema.checkSide(side)][i];
    System.arraycopy(tokens[side], start, dest, destPos, offsets[side][i + 1] - start);
  }

  /** A copy of the ids of record {@code i} on a side. */
  public int[] ids(int side, int i) {
    int[] out = new int[length(side, i)];
    copyIds(side, i, out, 0);
    return out;
  }

  /** The label of record {@code i} (0 when labels were ignored). */
  public float label(int i) {
    if (i < 0 || i >= size) {
      throw new IndexOutOfBoundsException("record " + i + " outside [0, " + size + ")");
    }
    return labels[i];
  }

  /** Total number of ids stored for a side. */
  public long tokenCount(int side) {
    return offsets[DataSchema.checkSide(side)][size];
  }

  /** Number of records whose side was cut to {@code max_seq_len} while reading. */
  public long truncatedCount(int side) {
    return truncated[DataSchema.checkSide(side)];
  }

  /**
   * Records left out because a side had no id the network would see (empty, or only id 0 where
   * id 0 is padding); see {@link DataSchema#discards}.
   */
  public long discardedCount() {
    return discarded;
  }

  /** Records offered (kept or discarded) that held id 0 in either side. */
  public long zeroIdRecordCount() {
    return zeroIdRecords;
  }

  /** Estimated heap bytes held by this dataset (arrays, headers and the object itself). */
  public long memoryBytes() {
    long bytes = OBJECT_BYTES + ARRAY_HEADER_BYTES + 4L * labels.length;
    for (int side = 0; side < 2; side++) {
      bytes += 2 * ARRAY_HEADER_BYTES + 4L * tokens[side].length + 4L * offsets[side].length;
    }
    return bytes;
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "PairDataset[records=%d, tokens=%d+%d, %d bytes]",
        size, tokenCount(0), tokenCount(1), memoryBytes());
  }

  /** Accumulates records into growable primitive arrays; {@link #build()} trims them. */
  public static final class Builder {

    private final DataSchema schema;
    private final int[][] tokens = {new int[1024], new int[1024]};
    private final int[][] offsets = {new int[257], new int[257]};
    private float[] labels = new float[256];
    private final long[] truncated = new long[2];
    private long discarded;
    private long zeroIdRecords;
    private int size;

    private Builder(DataSchema schema) {
      this.schema = schema;
    }

    /**
     * Adds a record read by {@link JsonlRecordReader} (copies its ids, which the reader already
     * cut and filtered by the schema's {@link ZeroIdRule}).
     */
    public Builder add(PairRecord record) {
      append(0, record.buffer(0), record.length(0));
      append(1, record.buffer(1), record.length(1));
      for (int side = 0; side < 2; side++) {
        if (record.truncated(side)) {
          truncated[side]++;
        }
      }
      return finishRecord(record.label());
    }

    /**
     * Adds a record from arrays, already validated and truncated; pass length 0 for an absent
     * side. The schema's {@link ZeroIdRule} applies as it does to records read from files: where
     * id 0 is padding its zeros are dropped, and a record the schema {@link DataSchema#discards}
     * is counted instead of added.
     */
    public Builder add(int[] ids0, int length0, int[] ids1, int length1, float label) {
      requireLength(0, length0);
      requireLength(1, length1);
      ZeroIdRule rule = schema.zeroIds();
      if (ZeroIdRule.containsZero(ids0, length0) || ZeroIdRule.containsZero(ids1, length1)) {
        zeroIdRecords++;
      }
      if (schema.discards(
          rule.visibleLength(ids0, length0, length0),
          rule.visibleLength(ids1, length1, length1))) {
        discarded++;
        return this;
      }
      appendVisible(0, ids0, length0);
      appendVisible(1, ids1, length1);
      return finishRecord(label);
    }

    /** Adds a record whose arrays are exactly its ids. */
    public Builder add(int[] ids0, int[] ids1, float label) {
      return add(ids0, ids0.length, ids1, ids1.length, label);
    }

    /** Number of records added so far. */
    public int size() {
      return size;
    }

    /** Adds the discarded and id-0 record counts of a reader that fed this builder. */
    public Builder noteReadCounts(long discardedRecords, long recordsWithZeroIds) {
      discarded += discardedRecords;
      zeroIdRecords += recordsWithZeroIds;
      return this;
    }

    /** The immutable dataset of everything added so far. */
    public PairDataset build() {
      return new PairDataset(this);
    }

    private void requireLength(int side, int length) {
      if (length < 0 || length > schema.maxSeqLen(side)) {
        throw new IllegalArgumentException(String.format(Locale.ROOT,
            "%s length must be in [0, %d], found %d", DataSchema.fieldName(side),
            schema.maxSeqLen(side), length));
      }
    }

    private void appendVisible(int side, int[] ids, int length) {
      int used = offsets[side][size];
      ensureTokens(side, (long) used + length);
      int kept = schema.zeroIds().copyVisible(ids, length, length, tokens[side], used);
      setEnd(side, used + kept);
    }

    private void append(int side, int[] ids, int length) {
      int used = offsets[side][size];
      ensureTokens(side, (long) used + length);
      System.arraycopy(ids, 0, tokens[side], used, length);
      setEnd(side, used + length);
    }

    private void ensureTokens(int side, long needed) {
      if (needed > Integer.MAX_VALUE - 16) {
        throw new DataException(String.format(Locale.ROOT,
            "%s holds more than %d ids, the limit of one dataset; split the data",
            DataSchema.fieldName(side), Integer.MAX_VALUE - 16));
      }
      if (needed > tokens[side].length) {
        tokens[side] = Arrays.copyOf(tokens[side], grow(tokens[side].length, (int) needed));
      }
    }

    private void setEnd(int side, int end) {
      if (size + 2 > offsets[side].length) {
        offsets[side] = Arrays.copyOf(offsets[side], grow(offsets[side].length, size + 2));
      }
      offsets[side][size + 1] = end;
    }

    private Builder finishRecord(float label) {
      if (size + 1 > labels.length) {
        labels = Arrays.copyOf(labels, grow(labels.length, size + 1));
      }
      labels[size++] = label;
      return this;
    }

    private static int grow(int current, int needed) {
      long next = Math.max((long) needed, current + (current >> 1) + 16);
      return (int) Math.min(next, Integer.MAX_VALUE - 8);
    }
  }
}
