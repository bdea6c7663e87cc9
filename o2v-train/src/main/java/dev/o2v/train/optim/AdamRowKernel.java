package dev.o2v.train.optim;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import dev.o2v.train.runtime.StepThreads;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * Adam's lazy row update done in place in the table's and the moments' own memory, one row after
 * another, on the JVM: each listed row's weight, moments and gradient are read once and written
 * once, where the engine's path gathers the rows into copies, runs about sixteen passes over them
 * and scatters them back.
 *
 * <p>Every element goes through the float operations of {@link Adam}'s in-place path without
 * weight decay in the same order, each rounded to float ({@code v = β2·v + ((1 − β2)·g)·g};
 * {@code m = β1·m + (1 − β1)·g}; {@code w -= (stepSize·m) / (sqrt(v + ROOT_FLOOR) + ε)}). The
 * moments come out bit for bit as the engine's passes compute them. The root is the correctly
 * rounded one, where the engine's vectorised square root on this class of CPU is one unit in
 * the last place off for about a sixth of the elements, so a weight can differ from the
 * engine's passes by about one unit in its last place.
 *
 * <p>Where the JVM has the JDK's vector module ({@link #vectorSpans}), whole vectors of each
 * span are updated in the arrays' own memory ({@link AdamVectorKernel}) with the same results,
 * and only the rest goes through the blocks on Java arrays.
 *
 * <p>Rows are split between as many threads as the engine's intra-op thread count. It works on
 * the arrays' memory directly, so it applies only to contiguous float32 arrays in
 * host memory that a Java buffer can address (below 2 GiB each); {@link #applies} says whether it
 * does.
 */
final class AdamRowKernel {

  static final float ONE_MINUS_BETA1 = 1 - Adam.BETA1;
  static final float ONE_MINUS_BETA2 = 1 - Adam.BETA2;
  /**
   * System property: {@code false} keeps every element on the Java-array loops even where the
   * vector kernel is available ({@link #vectorSpans}).
   */
  static final String VECTOR_PROPERTY = "o2v.vectorKernel";
  /** The JDK's vector module is in this JVM, with vectors of 8 floats or more. */
  private static final boolean VECTOR_MODULE = vectorModule();
  /** Fewer rows than this per worker are not worth a second thread. */
  static final int ROWS_PER_TASK = 256;
  /** Fewer elements than this per worker are not worth a second thread. */
  static final int ELEMENTS_PER_TASK = 1 << 16;
  /** Rows whose memory is fetched together before they are updated ({@link #touch}). */
  private static final int ROWS_PER_TOUCH = 16;
  /** Floats in a 64-byte cache line. */
  private static final int FLOATS_PER_LINE = 16;
  /** Where {@link #touch}'s sums go, so that the loads stay. */
  @SuppressWarnings("unused")
  private static volatile float touchSink;

  private AdamRowKernel() {}

  /**
   * Whether updates made now run whole vectors with {@link AdamVectorKernel}: where the JVM was
   * started with {@code --add-modules jdk.incubator.vector} (the launcher and the benchmark
   * harness do this for training), the machine has vectors of 8 floats or more, and the system
   * property {@value #VECTOR_PROPERTY} is not {@code false}. The results are the same bit for bit
   * either way.
   */
  static boolean vectorSpans() {
    return VECTOR_MODULE && !"false".equals(System.getProperty(VECTOR_PROPERTY));
  }

  /** Whether the vector module is present and its preferred vectors hold 8 floats or more. */
  private static boolean vectorModule() {
    if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
      return false;
    }
    try {
      return AdamVectorKernel.lanes() >= 8;
    } catch (LinkageError e) {
      return false;
    }
  }

  /** Whether {@link #rowUpdate} and the other updates here can work on these arrays. */
  static boolean applies(NDArray table, NDArray[] state, NDArray rowGrads) {
    return addressable(table) && addressable(state[0]) && addressable(state[1])
        && addressable(rowGrads);
  }

  /** Whether the kernel can work on {@code array}'s memory: float32, host memory, below 2 GiB. */
  static boolean addressable(NDArray array) {
    return array.getDataType() == DataType.FLOAT32
        && array.getDevice().equals(Device.cpu())
        && array.size() * Float.BYTES <= Integer.MAX_VALUE
        && !array.isSparse();
  }

  /**
   * The update of rows {@code rows} of {@code table} and of its moments {@code mean}, {@code
   * variance} from {@code rowGrads} (row {@code i} of which is table row {@code rows[i]}, the rows
   * distinct; the gradient is only read), as a {@link RowUpdate}: all rows at once ({@link
   * RowUpdate#applyAll}), or a selection at a time, later and on any thread. The arrays' memory is
   * reached now, on the calling thread; applying rows calls nothing in the engine.
   *
   * @param stepSize the bias-corrected learning rate of this update
   */
  static RowUpdate rowUpdate(NDArray table, NDArray mean, NDArray variance, long[] rows,
      NDArray rowGrads, float stepSize) {
    int width = Math.toIntExact(table.getShape().get(1));
    FloatMemory w = FloatMemory.of(table);
    FloatMemory m = FloatMemory.of(mean);
    FloatMemory v = FloatMemory.of(variance);
    FloatMemory g = FloatMemory.of(rowGrads);
    boolean vectors = vectorSpans();
    return new RowUpdate() {
      @Override
      public int size() {
        return rows.length;
      }

      @Override
      public long row(int index) {
        return rows[index];
      }

      @Override
      public void apply(int[] indices) {
        updateRange(w, m, v, g, rows, indices, 0, indices.length, width, stepSize, vectors);
      }

      @Override
      public void applyAll() {
        // The rows are distinct: no two workers touch one element.
        forEachShare(rows.length, ROWS_PER_TASK,
            (from, to) -> updateRange(w, m, v, g, rows, null, from, to, width, stepSize, vectors));
      }
    };
  }

  /** Work on the positions {@code [from, to)} of a range. */
  @FunctionalInterface
  interface Share {
    void run(int from, int to);
  }

  /**
   * Splits {@code [0, count)} into one contiguous share per worker, as many workers as the
   * engine's intra-op threads but no more than one per {@code perWorker} positions, and runs
   * {@code share} on each: in parallel when there are several (the calling thread takes part),
   * on the calling thread otherwise.
   */
  static void forEachShare(int count, int perWorker, Share share) {
    int threads = Math.max(1, Math.min(StepThreads.hostWorkers(), count / perWorker));
    if (threads == 1) {
      share.run(0, count);
      return;
    }
    int size = (count + threads - 1) / threads;
    IntStream.range(0, threads).parallel()
        .forEach(k -> share.run(k * size, Math.min(count, (k + 1) * size)));
  }

  /**
   * Updates the rows at positions {@code [from, to)}: of {@code rows} itself, or of {@code
   * selected} (indices into {@code rows}) when it is not null.
   */
  static void updateRange(FloatMemory w, FloatMemory m, FloatMemory v, FloatMemory g,
      long[] rows, int[] selected, int from, int to, int width, float stepSize, boolean vectors) {
    Scratch scratch = Scratch.ofThisThread();
    float touched = 0;
    for (int group = from; group < to; group += ROWS_PER_TOUCH) {
      int end = Math.min(to, group + ROWS_PER_TOUCH);
      touched += touch(w.floats(), m.floats(), v.floats(), rows, selected, group, end, width);
      for (int k = group; k < end; k++) {
        int i = selected == null ? k : selected[k];
        updateSpan(w, m, v, g, Math.toIntExact(rows[i] * width), i * width, width, stepSize,
            vectors, scratch);
      }
    }
    touchSink = touched;
  }

  /**
   * Reads one float of every cache line of the rows at positions {@code [from, to)} (as in
   * {@link #updateRange}) of the weight and both moments, so that their memory is fetched
   * together before the rows are updated. Rows of a large table are scattered far beyond the
   * caches; updated one after another, each row's lines were fetched while the update waited,
   * about one at a time. These loads do not depend on each other, so the processor has them all
   * in flight at once. The sum only keeps the loads from being optimised away.
   */
  private static float touch(FloatBuffer w, FloatBuffer m, FloatBuffer v, long[] rows,
      int[] selected, int from, int to, int width) {
    float sum = 0;
    for (int k = from; k < to; k++) {
      int base = Math.toIntExact(rows[selected == null ? k : selected[k]] * width);
      for (int d = 0; d < width; d += FLOATS_PER_LINE) {
        sum += w.get(base + d) + m.get(base + d) + v.get(base + d);
      }
      sum += w.get(base + width - 1) + m.get(base + width - 1) + v.get(base + width - 1);
    }
    return sum;
  }

  /**
   * Updates {@code length} consecutive elements from {@code base} (gradient from {@code
   * gradBase}): with {@code vectors}, whole vectors in the arrays' own memory ({@link
   * AdamVectorKernel#update}); the rest a block at a time, each array's block copied into a Java
   * array in one bulk copy, updated there, and copied back. Element-wise reads of the arrays'
   * memory made the update scalar and made each cache miss wait for the one before; on plain Java
   * arrays the loop is vectorised and a bulk copy fetches a row's cache lines together.
   */
  static void updateSpan(FloatMemory w, FloatMemory m, FloatMemory v, FloatMemory g,
      int base, int gradBase, int length, float stepSize, boolean vectors, Scratch scratch) {
    int start = vectors ? AdamVectorKernel.update(w.bytes(), m.bytes(), v.bytes(), g.bytes(),
        base, gradBase, length, stepSize) : 0;
    for (int done = start; done < length; done += scratch.size()) {
      int n = Math.min(scratch.size(), length - done);
      int at = base + done;
      float[] ws = scratch.weight;
      float[] ms = scratch.mean;
      float[] vs = scratch.variance;
      float[] gs = scratch.grad;
      g.floats().get(gradBase + done, gs, 0, n);
      scratch.read(w, m, v, at, n);
      for (int d = 0; d < n; d++) {
        float grad = gs[d];
        float var = Adam.BETA2 * vs[d] + (ONE_MINUS_BETA2 * grad) * grad;
        float mom = Adam.BETA1 * ms[d] + ONE_MINUS_BETA1 * grad;
        vs[d] = var;
        ms[d] = mom;
        ws[d] = stepped(ws[d], mom, var, stepSize);
      }
      scratch.write(w, m, v, at, n);
    }
  }

  /** The weight after its step: {@code w − (stepSize·m) / (sqrt(v + ROOT_FLOOR) + ε)}. */
  private static float stepped(float weight, float mean, float variance, float stepSize) {
    float root = (float) Math.sqrt(variance + Adam.ROOT_FLOOR);
    return weight - (mean * stepSize) / (root + Adam.EPSILON);
  }

  /**
   * One thread's blocks of weight, moments and gradient, made once per thread and reused by every
   * update that thread runs: made per update, they were most of what a training step allocated on
   * the Java heap, and a fresh heap is memory the process touches for the first time.
   */
  static final class Scratch {
    /**
     * Elements per block. The four blocks (8 KB) leave room in the first-level cache for the lines
     * the copies stream through it: a whole-weight update of 3.7 million elements on one thread
     * took 2.5–3.0 ms with blocks of 512 against 4.6–5.6 ms with 2,048 or 4,096, 3.6–4.7 ms with
     * 640 or 1,024, and 3.0–3.2 ms with 256 in two runs (6.1 ms in a third).
     */
    private static final int BLOCK = 512;

    private static final ThreadLocal<Scratch> OF_THREAD = ThreadLocal.withInitial(Scratch::new);

    final float[] weight = new float[BLOCK];
    final float[] mean = new float[BLOCK];
    final float[] variance = new float[BLOCK];
    final float[] grad = new float[BLOCK];

    /** The calling thread's blocks; a thread uses them for one span at a time. */
    static Scratch ofThisThread() {
      return OF_THREAD.get();
    }

    int size() {
      return weight.length;
    }

    /** Copies {@code n} elements from {@code at} of the weight and moments into the blocks. */
    void read(FloatMemory w, FloatMemory m, FloatMemory v, int at, int n) {
      v.floats().get(at, variance, 0, n);
      m.floats().get(at, mean, 0, n);
      w.floats().get(at, weight, 0, n);
    }

    /** Copies the blocks' first {@code n} elements back to {@code at}. */
    void write(FloatMemory w, FloatMemory m, FloatMemory v, int at, int n) {
      v.floats().put(at, variance, 0, n);
      m.floats().put(at, mean, 0, n);
      w.floats().put(at, weight, 0, n);
    }
  }

  /**
   * The in-place path's update of a whole weight of any shape from its full gradient {@code grad}
   * (only read), as a {@link WeightUpdate} to apply a span of elements at a time, later and on any
   * thread. The arrays' memory is reached now, on the calling thread.
   *
   * @param stepSize the bias-corrected learning rate of this update
   */
  static WeightUpdate wholeUpdate(NDArray weight, NDArray mean, NDArray variance, NDArray grad,
      float stepSize) {
    int size = Math.toIntExact(weight.size());
    FloatMemory w = FloatMemory.of(weight);
    FloatMemory m = FloatMemory.of(mean);
    FloatMemory v = FloatMemory.of(variance);
    FloatMemory g = FloatMemory.of(grad);
    boolean vectors = vectorSpans();
    return new WeightUpdate() {
      @Override
      public int size() {
        return size;
      }

      @Override
      public void apply(int from, int to) {
        updateSpan(w, m, v, g, from, from, to - from, stepSize, vectors, Scratch.ofThisThread());
      }
    };
  }

  /** {@link #wholeUpdate} applied now, split over the engine's intra-op threads. */
  static void updateWhole(NDArray weight, NDArray mean, NDArray variance, NDArray grad,
      float stepSize) {
    WeightUpdate update = wholeUpdate(weight, mean, variance, grad, stepSize);
    forEachShare(update.size(), ELEMENTS_PER_TASK, update::apply);
  }

  /**
   * The dense update of every row of {@code table} whose gradient is {@code rowGrads} on rows
   * {@code rows} (distinct) and zero elsewhere, as a {@link RowUpdate} whose index {@code i} is
   * row {@code i}: listed rows as {@link #rowUpdate} does, every other row with the zero-gradient
   * update ({@code m = β1·m}, {@code v = β2·v}, {@code w -= (stepSize·m) / (sqrt(v + ROOT_FLOOR) +
   * ε)}), each as the engine's passes compute it (up to the root's rounding, see above), in one
   * pass over the table instead of ten. Consecutive rows without a gradient are decayed as one
   * span. The arrays' memory is reached now, on the calling thread.
   */
  static RowUpdate everyRowUpdate(NDArray table, NDArray mean, NDArray variance, long[] rows,
      NDArray rowGrads, float stepSize) {
    int vocab = Math.toIntExact(table.getShape().get(0));
    int width = Math.toIntExact(table.getShape().get(1));
    int[] gradRow = new int[vocab];
    Arrays.fill(gradRow, -1);
    for (int i = 0; i < rows.length; i++) {
      gradRow[Math.toIntExact(rows[i])] = i;
    }
    FloatMemory w = FloatMemory.of(table);
    FloatMemory m = FloatMemory.of(mean);
    FloatMemory v = FloatMemory.of(variance);
    FloatMemory g = FloatMemory.of(rowGrads);
    boolean vectors = vectorSpans();
    float[] thisStep = {stepSize}; // the one zero-gradient update rows without a gradient take
    return new RowUpdate() {
      @Override
      public int size() {
        return vocab;
      }

      @Override
      public long row(int index) {
        return index;
      }

      @Override
      public void apply(int[] indices) {
        Scratch scratch = Scratch.ofThisThread();
        for (int k = 0; k < indices.length; ) {
          int end = k + 1; // a run of consecutive rows
          while (end < indices.length && indices[end] == indices[k] + (end - k)) {
            end++;
          }
          updateRows(indices[k], indices[k] + (end - k), scratch);
          k = end;
        }
      }

      @Override
      public void applyAll() {
        forEachShare(vocab, ROWS_PER_TASK,
            (from, to) -> updateRows(from, to, Scratch.ofThisThread()));
      }

      /** Rows {@code [from, to)}: each run of rows without a gradient decayed as one span. */
      private void updateRows(int from, int to, Scratch scratch) {
        int unlisted = from; // first row of the current run of rows without a gradient
        for (int r = from; r < to; r++) {
          if (gradRow[r] >= 0) {
            decaySpan(w, m, v, unlisted * width, (r - unlisted) * width, thisStep, 0, 1,
                vectors, scratch);
            updateSpan(w, m, v, g, r * width, gradRow[r] * width, width, stepSize, vectors,
                scratch);
            unlisted = r + 1;
          }
        }
        decaySpan(w, m, v, unlisted * width, (to - unlisted) * width, thisStep, 0, 1, vectors,
            scratch);
      }
    };
  }

  /**
   * The zero-gradient update of {@code length} consecutive elements from {@code base}, once for
   * each of the step sizes {@code stepSizes[from]} to {@code stepSizes[to - 1]}, in that order, a
   * block at a time on Java arrays as {@link #updateSpan} does: each block is read once, takes
   * every update, and is written once, with the result of one pass per update to the last bit;
   * with {@code vectors}, whole vectors first in the arrays' own memory ({@link
   * AdamVectorKernel#decay}). A block whose moments are all +0.0 (rows no gradient has reached) is
   * left as it is: the zero-gradient update keeps such moments at +0.0 and subtracts +0.0 from the
   * weight, which changes no float.
   */
  static void decaySpan(FloatMemory w, FloatMemory m, FloatMemory v, int base, int length,
      float[] stepSizes, int from, int to, boolean vectors, Scratch scratch) {
    int start = vectors
        ? AdamVectorKernel.decay(w.bytes(), m.bytes(), v.bytes(), base, length, stepSizes, from, to)
        : 0;
    for (int done = start; done < length; done += scratch.size()) {
      int n = Math.min(scratch.size(), length - done);
      int at = base + done;
      scratch.read(w, m, v, at, n);
      if (momentsArePositiveZeros(scratch, n)) {
        continue;
      }
      for (int k = from; k < to; k++) {
        decayBlock(scratch, n, stepSizes[k]);
      }
      scratch.write(w, m, v, at, n);
    }
  }

  /**
   * Whether the first {@code n} elements of both moment blocks are +0.0, bit for bit. The first
   * element alone settles most blocks that hold moments.
   */
  private static boolean momentsArePositiveZeros(Scratch scratch, int n) {
    float[] ms = scratch.mean;
    float[] vs = scratch.variance;
    if ((Float.floatToRawIntBits(ms[0]) | Float.floatToRawIntBits(vs[0])) != 0) {
      return false;
    }
    int bits = 0;
    for (int d = 0; d < n; d++) {
      bits |= Float.floatToRawIntBits(ms[d]) | Float.floatToRawIntBits(vs[d]);
    }
    return bits == 0;
  }

  /** The zero-gradient update of the first {@code n} elements of the scratch blocks. */
  private static void decayBlock(Scratch scratch, int n, float stepSize) {
    float[] ws = scratch.weight;
    float[] ms = scratch.mean;
    float[] vs = scratch.variance;
    for (int d = 0; d < n; d++) {
      float var = vs[d] * Adam.BETA2;
      float mom = ms[d] * Adam.BETA1;
      vs[d] = var;
      ms[d] = mom;
      ws[d] = stepped(ws[d], mom, var, stepSize);
    }
  }
}
