package dev.o2v.train;

import dev.o2v.encoders.TokenEmbedding;
import java.util.Arrays;

/**
 * The distinct rows of one token table that a batch reads, and the batch's ids renumbered into
 * those rows, computed on the JVM from the batch's primitive arrays (no engine call, no sync).
 *
 * <p>Only real tokens count: padding positions (at or beyond a record's length) are neither
 * collected nor updated; they are renumbered to local row 0, which the network ignores (its output
 * does not depend on padding, so padding positions receive zero gradient). Local rows are ordered
 * trainable rows first, in first-seen order, then frozen rows; so the first {@link
 * #trainableCount()} rows are exactly the ones to update. When no side has a real token, one
 * placeholder row (table row 0) is listed, not trainable, so the gathered array is never empty.
 *
 * <p>Reused across batches. Table rows map to local rows through an open-addressing hash table
 * sized to the batch (at most half full), not to the vocabulary: it stays in the caches whatever
 * the table's size, and costs nothing per row of the table. A table-sized array took a cache miss
 * per token at 3,000,000 rows and was 12 MB of fresh memory for every epoch's step.
 */
final class BatchRows {

  private static final int ABSENT = -1;
  /** Slots of a new hash table; it doubles whenever it would be more than half full. */
  private static final int INITIAL_SLOTS = 1 << 12;
  /** Fibonacci hashing's multiplier (2^32 divided by the golden ratio). */
  private static final int SPREAD = 0x9E3779B9;

  private final TokenEmbedding table;
  /** The table row in each hash slot, {@link #ABSENT} when the slot is free. */
  private int[] slotRow;
  /** The local row of the table row in each used slot. */
  private int[] slotLocal;
  /** 32 minus log2 of the slot count: a hash's top bits pick its first slot. */
  private int shift;
  private int[] rows = new int[256];
  /** Each local row's slot, so that {@link #clear} frees exactly the used slots. */
  private int[] slots = new int[256];
  private int count;
  private int trainable;

  BatchRows(TokenEmbedding table) {
    this.table = table;
    allocateSlots(INITIAL_SLOTS);
  }

  /** Forgets the previous batch's rows. */
  void clear() {
    for (int i = 0; i < count; i++) {
      slotRow[slots[i]] = ABSENT;
    }
    count = 0;
    trainable = 0;
  }

  /**
   * Collects the real token ids of one side of a batch.
   *
   * @param ids {@code [B * width]} padded ids, row-major
   * @param lengths {@code [B]} true lengths
   */
  void collect(int[] ids, int[] lengths, int width) {
    for (int r = 0; r < lengths.length; r++) {
      int base = r * width;
      for (int p = 0; p < lengths[r]; p++) {
        add(ids[base + p]);
      }
    }
  }

  /** Lists table row {@code id} as the next local row unless it is listed already. */
  private void add(int id) {
    int slot = slotOf(id);
    if (slotRow[slot] != ABSENT) {
      return;
    }
    if (2 * (count + 1) > slotRow.length) {
      allocateSlots(2 * slotRow.length);
      slot = slotOf(id);
    }
    if (count == rows.length) {
      rows = Arrays.copyOf(rows, 2 * count);
      slots = Arrays.copyOf(slots, 2 * count);
    }
    slotRow[slot] = id;
    slotLocal[slot] = count;
    rows[count] = id;
    slots[count] = slot;
    count++;
  }

  /** The slot that holds table row {@code id}, or the free slot where it would go. */
  private int slotOf(int id) {
    int mask = slotRow.length - 1;
    int slot = (id * SPREAD) >>> shift;
    while (slotRow[slot] != ABSENT && slotRow[slot] != id) {
      slot = (slot + 1) & mask;
    }
    return slot;
  }

  /** A free hash table of {@code size} slots (a power of two), the listed rows entered again. */
  private void allocateSlots(int size) {
    slotRow = new int[size];
    slotLocal = new int[size];
    Arrays.fill(slotRow, ABSENT);
    shift = Integer.numberOfLeadingZeros(size) + 1;
    for (int i = 0; i < count; i++) {
      enter(i);
    }
  }

  /** Puts local row {@code local} (already in {@link #rows}) in its slot. */
  private void enter(int local) {
    int slot = slotOf(rows[local]);
    slotRow[slot] = rows[local];
    slotLocal[slot] = local;
    slots[local] = slot;
  }

  /** The local row of table row {@code id}, which this batch reads. */
  private int localOf(int id) {
    return slotLocal[slotOf(id)];
  }

  /** Orders the collected rows (trainable first) and fixes their local numbers. */
  void seal() {
    if (count == 0) {
      rows[0] = 0; // placeholder, read only by padding
      count = 1;
      enter(0);
      trainable = 0;
      return;
    }
    if (table.frozenRowCount() == 0) {
      trainable = count;
      return;
    }
    int[] ordered = new int[count];
    int front = 0;
    int back = count;
    for (int i = 0; i < count; i++) {
      int id = rows[i];
      if (table.isFrozen(id)) {
        ordered[--back] = id;
      } else {
        ordered[front++] = id;
      }
    }
    System.arraycopy(ordered, 0, rows, 0, count);
    for (int i = 0; i < count; i++) {
      enter(i);
    }
    trainable = front;
  }

  /**
   * The ids of one side renumbered into local rows, padding as local row 0.
   *
   * @return {@code [B * width]} local row numbers, row-major
   */
  int[] localIds(int[] ids, int[] lengths, int width) {
    int[] local = new int[ids.length];
    for (int r = 0; r < lengths.length; r++) {
      int base = r * width;
      for (int p = 0; p < lengths[r]; p++) {
        local[base + p] = localOf(ids[base + p]);
      }
    }
    return local;
  }

  /**
   * The real tokens of one side as coordinates of a record-by-local-row matrix: row indices
   * (records) in the first {@code n} entries, column indices (local rows) in the next {@code n},
   * where {@code n} is the number of real tokens, in record and position order.
   *
   * @return {@code [2 * n]}, the two index rows of a sparse {@code [B, count()]} matrix
   */
  long[] tokenCoordinates(int[] ids, int[] lengths, int width) {
    int n = 0;
    for (int length : lengths) {
      n += length;
    }
    long[] out = new long[2 * n];
    int k = 0;
    for (int r = 0; r < lengths.length; r++) {
      int base = r * width;
      for (int p = 0; p < lengths[r]; p++) {
        out[k] = r;
        out[n + k] = localOf(ids[base + p]);
        k++;
      }
    }
    return out;
  }

  /** Number of distinct rows, placeholder included: the height of the gathered array. */
  int count() {
    return count;
  }

  /** Whether the batch collected since the last {@link #clear} reads table row {@code row}. */
  boolean holds(int row) {
    return slotRow[slotOf(row)] != ABSENT;
  }

  /** Number of leading rows to update (the others are frozen or a placeholder). */
  int trainableCount() {
    return trainable;
  }

  /** The table rows in local order, as int64 for the engine's index ops. */
  long[] tableRows() {
    long[] out = new long[count];
    for (int i = 0; i < count; i++) {
      out[i] = rows[i];
    }
    return out;
  }
}
