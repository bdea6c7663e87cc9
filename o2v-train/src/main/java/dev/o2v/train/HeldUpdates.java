package dev.o2v.train;

import ai.djl.ndarray.NDManager;
import dev.o2v.train.optim.RowUpdate;
import dev.o2v.train.optim.WeightUpdate;
import dev.o2v.train.runtime.TaskFailures;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The optimizer updates of one training step, held to run during the next step on a core the
 * engine leaves idle when it runs a small network on one thread ({@link
 * dev.o2v.train.runtime.StepThreads}). No weight is read before its update is done, and each is
 * updated once, with its own step's gradient and step size, so the trained weights and optimizer
 * state are the same bit for bit.
 *
 * <ul>
 *   <li>A weight's update ({@link #holdWeight}) goes to a helper thread as soon as the step has
 *       prepared them all ({@link #release}), in spans, in the order the step's network read the
 *       weights. The next step's first read of a weight ({@link #awaitWeight}, from {@link
 *       FreshGradientParameters}) takes the spans the helper has not reached, then waits for the
 *       one it is applying.
 *   <li>A token table's update ({@link #holdTable}) waits until the next batch's rows are known
 *       ({@link #start}): the rows that batch reads are applied at once on the step's thread,
 *       before it gathers them, and every other row goes to the helper in chunks.
 * </ul>
 *
 * <p>The updates are a few arithmetic operations per element around many small copies. In {@code
 * o2v train} of a tied pooled_embedding model with row_sparse tables (enc_dim 128, batch 256,
 * about 6,400 rows a batch) the table's update took 1.6–2.5 ms of a step at a vocabulary of
 * 10,000 and 3.1–3.5 ms at 3,000,000, against 3–5 ms for the forward and backward pass; in the
 * small hcnn of the benchmarks (dense tables), all updates together took 1.0–1.9 ms of a 6–7 ms
 * step.
 *
 * <p>Life cycle per step: {@link #start} with the step's rows; forward and backward, awaiting
 * each weight; {@link #finish} before the step's own updates are held; then {@link #release}.
 * {@link #close} applies whatever is still pending and stops the helper thread.
 */
final class HeldUpdates implements AutoCloseable {

  /**
   * Rows a chunk of a table's update holds: enough for the kernel's grouped memory fetches, few
   * enough that the helper's last chunk keeps the step waiting only briefly.
   */
  static final int ROWS_PER_CHUNK = 64;

  /** Elements a span of a weight's update holds, for the same reasons. */
  static final int ELEMENTS_PER_SPAN = 1 << 14;

  /** Spins on a task still running before a waiting thread sleeps. */
  private static final int SPINS = 10_000;

  /** One table's held update. */
  private record HeldTable(int table, RowUpdate update) {}

  private final List<HeldTable> tables = new ArrayList<>();
  /** Weights' updates held and not yet released, in order. */
  private final List<Tasks> heldWeights = new ArrayList<>();
  /** Each held weight's tasks, until the weight has been awaited. */
  private final Map<Object, Tasks> byWeight = new IdentityHashMap<>();
  /** Tasks given to the helper and not yet finished. */
  private final List<Tasks> released = new ArrayList<>();
  private ExecutorService helper;
  /** {@link #start}'s lists of a table's row indices, reused from step to step. */
  private int[] nowIndices = new int[0];
  private int[] laterIndices = new int[0];
  /** Holds the gradient arrays of the held updates until they have been applied. */
  private NDManager gradients;

  /** Whether an update is held. */
  boolean isEmpty() {
    return tables.isEmpty() && heldWeights.isEmpty() && released.isEmpty();
  }

  /**
   * The manager, under {@code parent}, to attach the gradient arrays of updates about to be held
   * to; it closes once they have been applied.
   */
  NDManager gradientManager(NDManager parent) {
    if (gradients == null) {
      gradients = parent.newSubManager();
    }
    return gradients;
  }

  /** Holds table {@code table}'s update until {@link #start}. */
  void holdTable(int table, RowUpdate update) {
    checkNothingRuns();
    tables.add(new HeldTable(table, update));
  }

  /** Holds the update of the weight {@code key} until {@link #release}. */
  void holdWeight(Object key, WeightUpdate update) {
    checkNothingRuns();
    int size = update.size();
    List<Runnable> spans = new ArrayList<>();
    for (int from = 0; from < size; from += ELEMENTS_PER_SPAN) {
      int start = from;
      int end = Math.min(size, from + ELEMENTS_PER_SPAN);
      spans.add(() -> update.apply(start, end));
    }
    Tasks tasks = new Tasks(spans);
    heldWeights.add(tasks);
    byWeight.put(key, tasks);
  }

  private void checkNothingRuns() {
    if (!released.isEmpty()) {
      throw new IllegalStateException("held updates are running; finish them first");
    }
  }

  /** Gives the held weights' updates to the helper thread, in the order they were held. */
  void release() {
    for (Tasks tasks : heldWeights) {
      submit(tasks);
    }
    heldWeights.clear();
  }

  /**
   * Returns once the update of the weight {@code key}, if one is held, has been applied: this
   * thread takes the spans the helper has not reached, then waits for the helper's.
   */
  void awaitWeight(Object key) {
    Tasks tasks = byWeight.remove(key);
    if (tasks != null) {
      tasks.runUntilNoneLeft();
      tasks.awaitDone();
      tasks.rethrowFailure();
    }
  }

  /**
   * Applies the held tables' rows that {@code next} reads (per table, sealed) on this thread, and
   * gives their other rows to the helper thread in chunks.
   */
  void start(BatchRows[] next) {
    if (tables.isEmpty()) {
      return;
    }
    List<Runnable> rest = new ArrayList<>();
    List<Runnable> now = new ArrayList<>();
    for (HeldTable held : tables) {
      RowUpdate update = held.update();
      BatchRows read = next[held.table()];
      int size = update.size();
      if (nowIndices.length < size) {
        nowIndices = new int[size];
        laterIndices = new int[size];
      }
      int nowCount = 0;
      int laterCount = 0;
      for (int i = 0; i < size; i++) {
        if (read.holds(Math.toIntExact(update.row(i)))) {
          nowIndices[nowCount++] = i;
        } else {
          laterIndices[laterCount++] = i;
        }
      }
      if (nowCount > 0) {
        int[] indices = Arrays.copyOf(nowIndices, nowCount);
        now.add(() -> update.apply(indices));
      }
      for (int from = 0; from < laterCount; from += ROWS_PER_CHUNK) {
        int[] indices =
            Arrays.copyOfRange(laterIndices, from, Math.min(laterCount, from + ROWS_PER_CHUNK));
        rest.add(() -> update.apply(indices));
      }
    }
    tables.clear();
    submit(new Tasks(rest));
    now.forEach(Runnable::run);
  }

  /**
   * Returns once every held update has been applied, and frees their gradients: this thread
   * takes the work the helper has not reached yet (all of it, for updates never started), then
   * waits for the helper's.
   */
  void finish() {
    try {
      for (HeldTable held : tables) {
        held.update().applyAll();
      }
      for (Tasks tasks : heldWeights) {
        tasks.runUntilNoneLeft();
      }
      for (Tasks tasks : released) {
        tasks.runUntilNoneLeft();
      }
      for (Tasks tasks : released) {
        tasks.awaitDone(); // all of them, before a failure is thrown
      }
      for (Tasks tasks : released) {
        tasks.rethrowFailure();
      }
    } finally {
      tables.clear();
      heldWeights.clear();
      byWeight.clear();
      released.clear();
      if (gradients != null) {
        gradients.close();
        gradients = null;
      }
    }
  }

  private void submit(Tasks tasks) {
    released.add(tasks);
    helper().execute(tasks::runUntilNoneLeft);
  }

  /**
   * Pieces of work that threads take one at a time, in order, each exactly once. A piece that
   * fails is recorded; the others still run.
   */
  private static final class Tasks {
    private final List<Runnable> work;
    private final AtomicInteger next = new AtomicInteger();
    private final CountDownLatch remaining;
    private volatile Throwable failure;

    Tasks(List<Runnable> work) {
      this.work = work;
      this.remaining = new CountDownLatch(work.size());
    }

    void runUntilNoneLeft() {
      for (int c = next.getAndIncrement(); c < work.size(); c = next.getAndIncrement()) {
        try {
          work.get(c).run();
        } catch (RuntimeException | Error e) {
          if (failure == null) {
            failure = e;
          }
        } finally {
          remaining.countDown();
        }
      }
    }

    /**
     * Waits until every piece has run. The helper's pieces are short, so this spins a while
     * before it sleeps; an interrupt does not stop the wait (the helper writes into the weights).
     */
    void awaitDone() {
      for (int spin = 0; spin < SPINS && remaining.getCount() > 0; spin++) {
        Thread.onSpinWait();
      }
      boolean interrupted = false;
      while (remaining.getCount() > 0) {
        try {
          remaining.await();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }

    void rethrowFailure() {
      if (failure != null) {
        throw new IllegalStateException(
            "a held optimizer update failed", TaskFailures.rethrowUnchecked(failure));
      }
    }
  }

  private ExecutorService helper() {
    if (helper == null) {
      helper = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "o2v-held-updates");
        thread.setDaemon(true);
        return thread;
      });
    }
    return helper;
  }

  /** Applies every held update and stops the helper thread. */
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
