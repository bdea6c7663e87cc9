package dev.o2v.train.runtime;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import dev.o2v.core.hp.Hyperparameters;

/**
 * How many libtorch threads the operations of a step use: one for a network whose operations are
 * all small ({@link StepWork}: every matrix product under {@value #SMALL_PRODUCT} multiply-adds,
 * every activation under {@value #SMALL_ACTIVATION} elements), the engine's intra-op count
 * otherwise.
 *
 * <p>Why: libtorch splits every operation above a few tens of thousands of elements between its
 * threads, and each split wakes the other threads and waits for them. For small operations that
 * costs more than the second core saves. On the 2-core test machine, rounds of 150 training steps
 * alternating between one and two threads in one process (medians of five or six rounds each)
 * trained the harness's small networks faster on one: hcnn 8,860 against 6,210 records/s,
 * pooled_embedding 16,100 against 11,700, bilstm 4,380 against 3,420; MovieLens (a 67 M
 * multiply-add layer) took 10.4 against 9.6 ms a step on one, the document-embedding job (7.7 M
 * token-vector elements) 10,700 against 11,700 records/s, the sentence-task hcnn (126 M) 64
 * against 43 ms (benchmarks README, "Threads for small networks").
 *
 * <p>The count is set for the calling thread only, for the lifetime of a {@link Scope}; work o2v
 * splits on the JVM itself (the Adam kernels) keeps the engine's count ({@link #hostWorkers}).
 * The choice depends on the hyperparameters alone, so a seed still gives the same model. The
 * system property {@value #PROPERTY}{@code =keep} leaves libtorch's count alone.
 */
public final class StepThreads {

  /** Matrix products below this many multiply-adds are small. */
  static final long SMALL_PRODUCT = 32L << 20;
  /** Activations below this many elements are small. */
  static final long SMALL_ACTIVATION = 2L << 20;
  /** System property: {@code keep} turns the rule off. */
  static final String PROPERTY = "o2v.stepThreads";

  /** The engine's count while a scope on this thread has lowered libtorch's. */
  private static final ThreadLocal<Integer> ENGINE_COUNT = new ThreadLocal<>();

  private StepThreads() {}

  /**
   * The rule: libtorch threads for steps of {@code work} when the engine has {@code configured}.
   */
  public static int choose(StepWork work, int configured) {
    boolean small = work.largestProduct() < SMALL_PRODUCT
        && work.largestActivation() < SMALL_ACTIVATION;
    return small ? 1 : configured;
  }

  /**
   * Sets the calling thread's libtorch count for training steps of {@code hp}'s network until the
   * scope closes, which restores the count it found.
   */
  public static Scope enter(Hyperparameters hp) {
    return enter(StepWork.of(hp));
  }

  /**
   * Sets the calling thread's libtorch count for steps of {@code work} until the scope closes,
   * which restores the count it found.
   */
  public static Scope enter(StepWork work) {
    Engine.getEngine("PyTorch");
    int configured = JniUtils.getNumThreads();
    if ("keep".equals(System.getProperty(PROPERTY)) || ENGINE_COUNT.get() != null) {
      return new Scope(configured, false);
    }
    int chosen = choose(work, configured);
    if (chosen == configured) {
      return new Scope(configured, false);
    }
    ENGINE_COUNT.set(configured);
    JniUtils.setNumThreads(chosen);
    return new Scope(configured, true);
  }

  /**
   * How many threads work split on the JVM may use on this thread: the engine's intra-op count,
   * also while a {@link Scope} has lowered libtorch's.
   */
  public static int hostWorkers() {
    Integer engine = ENGINE_COUNT.get();
    return engine != null ? engine : JniUtils.getNumThreads();
  }

  /**
   * Runs {@code work} on the calling thread with libtorch on the engine's whole count, also while
   * a {@link Scope} has lowered it, and then restores the count it found: for bulk work outside the
   * steps that splits well, such as filling the optimizer state of a table of millions of rows.
   */
  public static void onEngineThreads(Runnable work) {
    Integer engine = ENGINE_COUNT.get();
    int current = JniUtils.getNumThreads();
    if (engine == null || engine == current) {
      work.run();
      return;
    }
    JniUtils.setNumThreads(engine);
    try {
      work.run();
    } finally {
      JniUtils.setNumThreads(current);
    }
  }

  /** The period during which the calling thread runs libtorch with the chosen count. */
  public static final class Scope implements AutoCloseable {

    private final int configured;
    private final boolean lowered;
    private final Thread owner = Thread.currentThread();

    private Scope(int configured, boolean lowered) {
      this.configured = configured;
      this.lowered = lowered;
    }

    /** Whether the scope runs libtorch on fewer threads than the engine's count. */
    public boolean lowered() {
      return lowered;
    }

    /** The engine's intra-op count, which the scope restores. */
    public int configured() {
      return configured;
    }

    /** Restores the count the scope found; call it on the thread that entered. */
    @Override
    public void close() {
      if (!lowered) {
        return;
      }
      if (Thread.currentThread() != owner) {
        throw new IllegalStateException("a step-thread scope must close on the thread that"
            + " entered it");
      }
      ENGINE_COUNT.remove();
      JniUtils.setNumThreads(configured);
    }
  }
}
