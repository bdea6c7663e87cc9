package dev.o2v.train.optim;

import ai.djl.ndarray.NDArray;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.LongToDoubleFunction;

/**
 * Adam's dense update of a token table with each row's zero-gradient updates put off until the
 * row is next read, then applied in order, bit for bit as the update of every row at every step
 * ({@link AdamRowKernel#everyRowUpdate}) would have left the row.
 *
 * <p>A dense update moves every row of a table at every step, also the rows the batch did not
 * read: their moments decay and the weight follows ({@code m = β1·m}, {@code v = β2·v}, {@code w
 * -= (stepSize·m) / (sqrt(v + ROOT_FLOOR) + ε)}). Each row's arithmetic depends on nothing but the
 * row and the step's size, so the updates a row missed can run later, one after the other, with
 * the same step sizes: the result is the same to the last bit. A step then costs its batch's rows
 * instead of the whole table: the table, both moments and their memory traffic are visited once
 * for a row's several missed updates instead of once per step. The arithmetic is the same.
 *
 * <p>The ledger keeps, per row, how many of the table's updates it has had, and the step sizes of
 * the updates some row still misses. {@link #update} brings the batch's rows up to date and gives
 * them the step's gradient update; {@link #settle(long[])} brings rows up to date before they are
 * read; {@link #settleAll} every row, after which the weights and moments are complete. Nothing
 * may read a row of the table or of its moments while it is behind.
 */
final class DeferredRowDecay {

  private final NDArray table;
  private final NDArray mean;
  private final NDArray variance;
  private final FloatMemory w;
  private final FloatMemory m;
  private final FloatMemory v;
  /** Whether catching up runs whole vectors ({@link AdamRowKernel#vectorSpans}). */
  private final boolean vectors;
  private final int width;
  /** The step size of the table's update {@code t} (1-based). */
  private final LongToDoubleFunction stepSizes;
  /** The table's updates so far. */
  private long updates;
  /** Per row, how many of the pending updates it has had: 0 to {@link #pendingCount}. */
  private final int[] applied;
  /** The step sizes of the updates some row may still miss, oldest first. */
  private float[] pending = new float[64];
  private int pendingCount;

  /**
   * A ledger in which every row of {@code table} is up to date after {@code updates} updates.
   *
   * @param stepSizes the bias-corrected learning rate of the table's update {@code t}
   */
  DeferredRowDecay(NDArray table, NDArray mean, NDArray variance, long updates,
      LongToDoubleFunction stepSizes) {
    this.table = table;
    this.updates = updates;
    this.stepSizes = stepSizes;
    this.mean = mean;
    this.variance = variance;
    this.w = FloatMemory.of(table);
    this.m = FloatMemory.of(mean);
    this.v = FloatMemory.of(variance);
    this.vectors = AdamRowKernel.vectorSpans();
    this.width = Math.toIntExact(table.getShape().get(1));
    this.applied = new int[Math.toIntExact(table.getShape().get(0))];
  }

  /** Whether this ledger keeps the rows of these very arrays (the state as mean, variance). */
  boolean covers(NDArray table, NDArray[] state) {
    return this.table == table && mean == state[0] && variance == state[1];
  }

  /** Whether some row still misses an update. */
  boolean isBehind() {
    return pendingCount > 0;
  }

  /**
   * The table's update {@code t}, dense, whose gradient is {@code rowGrads} on rows {@code rows}
   * (distinct) and zero elsewhere: the listed rows are brought up to date and take the gradient
   * update now; every other row misses this update until it is settled.
   *
   * @throws IllegalStateException unless {@code t} is the update after the last one
   */
  void update(long[] rows, NDArray rowGrads, long t) {
    if (t != updates + 1) {
      throw new IllegalStateException(String.format(Locale.ROOT,
          "update %d of a table whose last update was %d", t, updates));
    }
    float stepSize = (float) stepSizes.applyAsDouble(t);
    settle(rows);
    AdamRowKernel.rowUpdate(table, mean, variance, rows, rowGrads, stepSize).applyAll();
    if (pendingCount == pending.length) {
      pending = Arrays.copyOf(pending, 2 * pending.length);
    }
    pending[pendingCount++] = stepSize;
    updates = t;
    for (long row : rows) {
      applied[Math.toIntExact(row)] = pendingCount;
    }
  }

  /**
   * Brings rows {@code rows} (distinct) up to date, on two threads or more when the updates they
   * miss add up to enough elements.
   */
  void settle(long[] rows) {
    if (pendingCount == 0 || rows.length == 0) {
      return;
    }
    long missed = 0;
    for (long row : rows) {
      missed += pendingCount - applied[Math.toIntExact(row)];
    }
    int perWorker = missed * width >= 2L * AdamRowKernel.ELEMENTS_PER_TASK ? 1 : rows.length;
    AdamRowKernel.forEachShare(rows.length, perWorker, (from, to) -> {
      AdamRowKernel.Scratch scratch = AdamRowKernel.Scratch.ofThisThread();
      for (int i = from; i < to; i++) {
        int row = Math.toIntExact(rows[i]);
        catchUp(row, row + 1, scratch);
      }
    });
  }

  /** Brings every row up to date; afterwards the table and its moments are complete. */
  void settleAll() {
    if (pendingCount == 0) {
      return;
    }
    AdamRowKernel.forEachShare(applied.length, AdamRowKernel.ROWS_PER_TASK, (from, to) -> {
      AdamRowKernel.Scratch scratch = AdamRowKernel.Scratch.ofThisThread();
      for (int row = from; row < to; ) {
        int end = row + 1; // consecutive rows that miss the same updates are one span
        while (end < to && applied[end] == applied[row]) {
          end++;
        }
        catchUp(row, end, scratch);
        row = end;
      }
    });
    Arrays.fill(applied, 0);
    pendingCount = 0;
  }

  /** Gives rows {@code [from, to)}, which have had the same updates, the ones they miss. */
  private void catchUp(int from, int to, AdamRowKernel.Scratch scratch) {
    int done = applied[from];
    if (done == pendingCount) {
      return;
    }
    AdamRowKernel.decaySpan(w, m, v, from * width, (to - from) * width, pending, done,
        pendingCount, vectors, scratch);
    Arrays.fill(applied, from, to, pendingCount);
  }
}
