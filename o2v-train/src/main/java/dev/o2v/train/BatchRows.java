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
 * <p>Reused across batches: a table-sized {@code int[]} maps table rows to local rows and is reset
 * row by row after each batch, so a batch costs {@code O(tokens)} whatever the vocabulary size.
 */
final class BatchRows {

  private static final int ABSENT = -1;

  private final TokenEmbedding table;
  private final int[] localOf;
  private int[] rows = new int[256];
  private int count;
  private int trainable;

  BatchRows(TokenEmbedding table) {
    this.table = table;
    this.localOf = new int[table.vocabSize()];
    Arrays.fill(localOf, ABSENT);
  }

  /** Forgets the previous batch's rows. */
  void clear() {
    for (int i = 0; i < count; i++) {
      localOf[rows[i]] = ABSENT;
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
        int id = ids[base + p];
        if (localOf[id] == ABSENT) {
          if (count == rows.length) {
            rows = Arrays.copyOf(rows, 2 * count);
          }
          localOf[id] = count;
          rows[count++] = id;
        }
      }
    }
  }

  /** Orders the collected rows (trainable first) and fixes their local numbers. */
  void seal() {
    if (count == 0) {
      rows[count++] = 0; // placeholder, read only by padding
      localOf[0] = 0;
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
      localOf[rows[i]] = i;
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
        local[base + p] = localOf[ids[base + p]];
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
        out[n + k] = localOf[ids[base + p]];
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
    return localOf[row] != ABSENT;
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
