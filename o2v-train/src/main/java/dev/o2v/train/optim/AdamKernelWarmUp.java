package dev.o2v.train.optim;

import dev.o2v.core.hp.Hyperparameters;
import dev.o2v.core.hp.OptimizerKind;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs Adam's kernels on the JVM ({@link AdamRowKernel}, {@link AdamVectorKernel}) on scratch
 * memory, on a background thread, once per process, so that the JIT has compiled them by the time
 * training needs them.
 *
 * <p>Why: until the JIT's optimising compiler has compiled them, the kernels run interpreted or
 * from the first-tier compiler, where the vector module's operations are not turned into vector
 * instructions: in a stand-alone loop the catching-up kernel took 61-76 ns an element-update from
 * the first-tier compiler against 0.32 ns from the optimising one. Training's first epoch paid for
 * that while it waited for the compiler, and on two cores it waited longest where the kernels have
 * the most rows to update: {@code o2v train} with a row_sparse table of 3,000,000 rows trained its
 * first 30,000 records at 17,200-20,100 records/s against 26,700-30,000 warmed (and 35,000-45,000
 * in the second epoch). The warm-up runs while the network is built and its tables filled, which
 * leaves a core idle; it takes 0.5-0.8 s of that core, most of it the vector module's first use
 * and the compiler.
 *
 * <p>The scratch memory is the thread's own; nothing here reads or writes a model, so a seed trains
 * the same model with or without the warm-up.
 */
public final class AdamKernelWarmUp {

  /** System property: {@code false} skips the warm-up. */
  static final String PROPERTY = "o2v.kernelWarmUp";
  /** Rounds of the three kinds of update, enough for the JIT to compile each kernel's loops. */
  static final int ROUNDS = 300;
  /** Row width of the scratch table, a common token width (a whole number of vectors). */
  static final int WIDTH = 128;
  /** Rows of the scratch table. */
  static final int TABLE_ROWS = 1024;
  /** Rows a round updates with a gradient, spread over the table. */
  static final int ROWS_PER_ROUND = 256;
  /** Elements of a round's whole-weight update. */
  static final int WHOLE_SPAN = 16 * WIDTH;
  /** Zero-gradient updates a round's catching up applies to each row it settles. */
  static final int MISSED_STEPS = 4;

  /**
   * Token tables of fewer elements are not worth it: filling them and their moments, which is what
   * the warm-up runs beside, takes less time than the warm-up (at 3,000,000 rows of 128 the weights
   * took 2.2 s and the moments 1.6 s, about 0.65 s at this size), so the warm-up would take a core
   * from the first epoch instead: with a warm-up for every Adam run, {@code o2v train} on a
   * 10,000-row table trained its first epoch at 19,000-22,500 records/s against 19,500-28,000.
   */
  static final long MIN_TABLE_ELEMENTS = 1L << 26;

  private static final Logger LOG = LoggerFactory.getLogger(AdamKernelWarmUp.class);
  private static final AtomicBoolean STARTED = new AtomicBoolean();

  private AdamKernelWarmUp() {}

  /**
   * Starts the warm-up on a daemon thread for a run of {@code hp}, where it pays: Adam trains, the
   * token tables hold {@link #MIN_TABLE_ELEMENTS} elements or more, the warm-up has not started
   * before in this process, and the system property {@value #PROPERTY} is not {@code false}.
   *
   * @return whether this call started it
   */
  public static boolean startFor(Hyperparameters hp) {
    if (hp.optimizer() != OptimizerKind.ADAM || hp.tokenTableElements() < MIN_TABLE_ELEMENTS
        || "false".equals(System.getProperty(PROPERTY)) || !STARTED.compareAndSet(false, true)) {
      return false;
    }
    Thread thread = new Thread(AdamKernelWarmUp::runLogged, "o2v-kernel-warm-up");
    thread.setDaemon(true);
    thread.start();
    return true;
  }

  /** {@link #run}, its time logged; a failure is logged and ends the warm-up, not training. */
  private static void runLogged() {
    long start = System.nanoTime();
    try {
      run();
      LOG.debug("{}", String.format(Locale.ROOT, "Adam's kernels warmed up in %.2f s",
          (System.nanoTime() - start) / 1e9));
    } catch (RuntimeException | Error e) {
      LOG.debug("Adam's kernel warm-up ended early: {}", e.toString());
    }
  }

  /**
   * The warm-up's work on the calling thread: {@link #ROUNDS} rounds, each a row update (as
   * row_sparse tables and held dense rows take it), a catching up of rows that missed updates (as
   * dense tables' rows are brought up to date) and a whole-weight update (as every other weight
   * takes it), each on scratch memory and on the path training will take (whole vectors or Java
   * arrays, {@link AdamRowKernel#vectorSpans}).
   *
   * @return a sum of the scratch weights, so that the work is observable
   */
  static double run() {
    int size = TABLE_ROWS * WIDTH;
    FloatMemory w = scratch(size, 0.5f);
    FloatMemory m = scratch(size, 0f);
    FloatMemory v = scratch(size, 0f);
    FloatMemory g = scratch(size, 1e-3f);
    long[] rows = new long[ROWS_PER_ROUND];
    float[] stepSizes = new float[MISSED_STEPS];
    Arrays.fill(stepSizes, 1e-3f);
    boolean vectors = AdamRowKernel.vectorSpans();
    AdamRowKernel.Scratch scratch = AdamRowKernel.Scratch.ofThisThread();
    int stride = TABLE_ROWS / ROWS_PER_ROUND;
    for (int round = 0; round < ROUNDS; round++) {
      for (int i = 0; i < rows.length; i++) {
        rows[i] = (long) i * stride + round % stride;
      }
      AdamRowKernel.updateRange(w, m, v, g, rows, null, 0, rows.length, WIDTH, 1e-3f, vectors);
      int settled = round % ROWS_PER_ROUND * stride * WIDTH; // a block of stride rows
      AdamRowKernel.decaySpan(w, m, v, settled, stride * WIDTH, stepSizes, 0, MISSED_STEPS,
          vectors, scratch);
      AdamRowKernel.updateSpan(w, m, v, g, 0, 0, WHOLE_SPAN, 1e-3f, vectors, scratch);
    }
    double sum = 0;
    for (int i = 0; i < size; i += WIDTH) {
      sum += w.floats().get(i);
    }
    return sum;
  }

  private static FloatMemory scratch(int size, float value) {
    ByteBuffer bytes = ByteBuffer.allocateDirect(size * Float.BYTES).order(ByteOrder.nativeOrder());
    float[] values = new float[size];
    Arrays.fill(values, value);
    FloatMemory memory = new FloatMemory(bytes.asFloatBuffer(), bytes);
    memory.floats().put(0, values);
    return memory;
  }
}
