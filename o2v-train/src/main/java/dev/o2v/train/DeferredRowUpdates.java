package dev.o2v.train;

import ai.djl.ndarray.NDManager;
import dev.o2v.train.optim.RowUpdate;
import dev.o2v.train.runtime.TaskFailures;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The token tables' lazy row updates of one training step, run during the next step: the rows the
 * next batch reads first, on the step's thread, before it gathers them; every other row on a
 * helper thread while the step computes, on a core the engine leaves idle when it runs a small
 * network on one thread ({@link dev.o2v.train.runtime.StepThreads}).
 *
 * <p>The update of a batch's rows is a few arithmetic operations per element around many small
 * copies and, for a large table, waits on memory: the rows are scattered far beyond the caches.
 * In {@code o2v train} of a tied pooled_embedding model (enc_dim 128, batch 256, about 6,400
 * rows a batch) it took 1.6–2.5 ms of a step at a vocabulary of 10,000 and 3.1–3.5 ms at
 * 3,000,000, against 3–5 ms for the forward and backward pass. Run beside the next step's pass,
 * it no longer adds to the step. Each row is updated once, with its own step's gradient and step
 * size, and no row is read before its update is done, so the trained weights and optimizer state
 * are the same bit for bit.
 *
 * <p>Life cycle per step: {@link #start} with the next batch's rows, then {@link #finish} before
 * that step's own updates are {@link #add}ed; rows the helper has not reached by then are
 * applied by the step's thread and the helper together. {@link #close} applies whatever is still
 * pending and stops the helper thread.
 */
final class DeferredRowUpdates implements AutoCloseable {

  /** One table's pending update. */
  private record Pending(int table, RowUpdate update) {}

  /**
   * Rows a chunk holds: enough for the kernel's grouped memory fetches, few enough that the
   * helper's last chunk keeps the step waiting only briefly.
   */
  static final int ROWS_PER_CHUNK = 64;

  private final List<Pending> pending = new ArrayList<>();
  private ExecutorService helper;
  /** Holds the gradient arrays of the pending updates until they have been applied. */
  private NDManager gradients;
  private Future<?> running;
  /** The chunks of the running updates. */
  private Chunks chunks;

  /** Whether an update is pending. */
  boolean isEmpty() {
    return pending.isEmpty();
  }

  /**
   * The manager, under {@code parent}, to attach the gradient arrays of updates about to be
   * {@link #add}ed to; it closes once they have been applied.
   */
  NDManager gradientManager(NDManager parent) {
    if (gradients == null) {
      gradients = parent.newSubManager();
    }
    return gradients;
  }

  /** Holds table {@code table}'s update until {@link #start}. */
  void add(int table, RowUpdate update) {
    if (running != null) {
      throw new IllegalStateException("updates are running; finish them first");
    }
    pending.add(new Pending(table, update));
  }

  /**
   * Applies the pending updates' rows that {@code next} reads (per table, sealed) on this thread,
   * then starts the other rows on the helper thread, in chunks that {@link #finish} shares.
   */
  void start(BatchRows[] next) {
    if (pending.isEmpty() || running != null) {
      return;
    }
    List<Chunk> rest = new ArrayList<>();
    for (Pending p : pending) {
      long[] rows = p.update().rows();
      BatchRows read = next[p.table()];
      int[] now = new int[rows.length];
      int[] later = new int[rows.length];
      int nowCount = 0;
      int laterCount = 0;
      for (int i = 0; i < rows.length; i++) {
        if (read.holds(Math.toIntExact(rows[i]))) {
          now[nowCount++] = i;
        } else {
          later[laterCount++] = i;
        }
      }
      if (nowCount > 0) {
        p.update().apply(Arrays.copyOf(now, nowCount));
      }
      for (int from = 0; from < laterCount; from += ROWS_PER_CHUNK) {
        rest.add(new Chunk(p.update(),
            Arrays.copyOfRange(later, from, Math.min(laterCount, from + ROWS_PER_CHUNK))));
      }
    }
    chunks = new Chunks(rest);
    Chunks shared = chunks;
    running = helper().submit(shared::applyUntilNoneLeft);
  }

  /**
   * Returns once every pending update has been applied, and frees their gradients: this thread
   * takes the chunks the helper has not reached yet (all of them, if {@link #start} did not run),
   * then waits for the helper's last one.
   */
  void finish() {
    try {
      if (running != null) {
        try {
          chunks.applyUntilNoneLeft();
        } finally {
          awaitHelper();
        }
      } else {
        for (Pending p : pending) {
          p.update().applyAll();
        }
      }
    } finally {
      running = null;
      chunks = null;
      pending.clear();
      if (gradients != null) {
        gradients.close();
        gradients = null;
      }
    }
  }

  /** Some rows of one update. */
  private record Chunk(RowUpdate update, int[] indices) {}

  /** Chunks that threads take one at a time, each exactly once. */
  private static final class Chunks {
    private final List<Chunk> list;
    private final AtomicInteger next = new AtomicInteger();

    Chunks(List<Chunk> list) {
      this.list = list;
    }

    void applyUntilNoneLeft() {
      for (int c = next.getAndIncrement(); c < list.size(); c = next.getAndIncrement()) {
        Chunk chunk = list.get(c);
        chunk.update().apply(chunk.indices());
      }
    }
  }

  private void awaitHelper() {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          running.get();
          return;
        } catch (InterruptedException e) {
          interrupted = true; // the helper writes into the tables: wait for it whatever happens
        } catch (ExecutionException e) {
          throw new IllegalStateException(
              "a deferred row update failed", TaskFailures.rethrowUnchecked(e));
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private ExecutorService helper() {
    if (helper == null) {
      helper = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "o2v-row-updates");
        thread.setDaemon(true);
        return thread;
      });
    }
    return helper;
  }

  /** Applies every pending update and stops the helper thread. */
  @Override
  public void close() {
    try {
      finish();
    } finally {
      if (helper != null) {
        helper.shutdown();
        helper = null;
      }
    }
  }
}
