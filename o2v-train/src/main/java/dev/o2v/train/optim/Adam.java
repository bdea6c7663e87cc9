package dev.o2v.train.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.pytorch.jni.JniUtils;
import dev.o2v.core.hp.OptimizerKind;

/**
 * Adam (Kingma &amp; Ba, "Adam: A Method for Stochastic Optimization", ICLR 2015) with MXNet 1.x
 * conventions: L2 weight decay added to the gradient and the bias correction folded into the step
 * size, so ε is not bias-corrected.
 *
 * <pre>
 *   g   = grad + wd·w
 *   m   = β1·m + (1 − β1)·g
 *   v   = β2·v + (1 − β2)·g²
 *   w  -= lr·sqrt(1 − β2^t)/(1 − β1^t) · m / (sqrt(v) + ε)        β1 0.9, β2 0.999, ε 1e-8
 * </pre>
 *
 * <p>Float32 arrays in host memory without weight decay, of any size, are updated on the JVM in
 * their own memory ({@link AdamRowKernel}): one pass that reads the gradient and reads and writes
 * the weight and both moments once, with no native call per operation and no temporary array.
 * The engine's paths remain for weight decay (whose {@code g + decay·w} the engine can round
 * differently from the JVM) and for arrays the JVM cannot address (another device, 2 GiB or more):
 * below {@link #IN_PLACE_MIN_ELEMENTS} the engine's fused {@code adamUpdate} kernel, which
 * implements exactly this formula when given the bias-corrected step size in one native call per
 * parameter but allocates five arrays the size of the parameter (a copy of the gradient and four
 * intermediates); from there up, where each fresh allocation costs far more than a pass over
 * memory already in use, {@link #applyInPlace}: the same operations in the same order (results
 * differ only in rounding, where the kernel fuses a multiply-add, and in the root's {@link
 * #ROOT_FLOOR}), done in place on the gradient (which the caller discards after the update) and on
 * a shared work array, leaving the square root as the one fresh allocation.
 *
 * <p>Lazy row-sparse updates ({@link #updateRows}) apply the same formula to the listed rows only;
 * the moments of absent rows stay as they are (not decayed), as in MXNet's {@code lazy_update}.
 * The bias correction uses {@code t} = the number of updates the whole table has received, i.e.
 * the global step count when the table is updated every step, not a per-row count.
 */
public final class Adam extends StatefulOptimizer {

  /** Exponential decay of the first moment. */
  public static final float BETA1 = 0.9f;

  /** Exponential decay of the second moment. */
  public static final float BETA2 = 0.999f;

  /** Added to the root of the second moment. */
  public static final float EPSILON = 1e-8f;

  /**
   * Arrays the JVM kernel does not take (weight decay, another device) with at least this many
   * elements (1 MiB of float32) are updated by {@link #applyInPlace}, smaller ones by the fused
   * kernel. The fused kernel allocates five temporaries of the parameter's size; from about a
   * megabyte up they cost more than its single native call saves (the MovieLens-shaped epoch,
   * whose largest dense weight has 1 M elements, ran 1.2× faster in place, and at 32 MiB and more
   * glibc hands out fresh pages every time, a page fault per 4 KiB).
   */
  static final long IN_PLACE_MIN_ELEMENTS = 1L << 18;

  /**
   * Added to {@code v} (on a copy) before the in-place paths take its root. libtorch's CPU square
   * root is 2.5× slower on zeros and 8× slower on subnormal numbers than on normal ones, and a
   * large table's second moment is mostly zeros early on (rows not yet read) and drifts towards
   * subnormal values for rows not read for tens of thousands of steps. Adding 1e-30 leaves every
   * {@code v} above 3e-23 bit for bit unchanged and moves {@code sqrt(v) + ε} below that by at
   * most about one unit in its last place.
   */
  static final float ROOT_FLOOR = 1e-30f;

  private static final NDIndex ALL = new NDIndex("...");

  private final long inPlaceMinElements;

  /** Creates Adam with MXNet's defaults for β1, β2 and ε. */
  public Adam(double learningRate, double weightDecay) {
    this(learningRate, weightDecay, IN_PLACE_MIN_ELEMENTS);
  }

  /** Creates Adam whose in-place path starts at {@code inPlaceMinElements} (tests use 1). */
  Adam(double learningRate, double weightDecay, long inPlaceMinElements) {
    super(OptimizerKind.ADAM, learningRate, weightDecay);
    this.inPlaceMinElements = inPlaceMinElements;
  }

  @Override
  int stateSlots() {
    return 2; // first moment m, second moment v
  }

  @Override
  boolean mutatesGradient(NDArray grad) {
    // The fused kernel works on its own copy of the gradient; the in-place path uses it as scratch.
    return takesInPlacePath(grad);
  }

  @Override
  void applyUpdate(NDArray weight, NDArray grad, NDArray[] state, long t, float decay) {
    if (takesWholeKernel(weight, grad, state, decay)) {
      // One pass in the arrays' own memory: the in-place passes below, up to the root's rounding.
      AdamRowKernel.updateWhole(weight, state[0], state[1], grad,
          (float) biasCorrectedRate(learningRate(), t));
      return;
    }
    if (takesInPlacePath(weight)) {
      applyInPlace(weight, grad, state[0], state[1], (float) biasCorrectedRate(learningRate(), t),
          decay);
      return;
    }
    JniUtils.adamUpdate(
        asPyTorch(weight, "adam weight"),
        asPyTorch(grad, "adam gradient"),
        asPyTorch(state[0], "adam mean"),
        asPyTorch(state[1], "adam variance"),
        lr(),
        (float) biasCorrectedRate(learningRate(), t),
        decay,
        1f, // no gradient rescaling
        -1f, // a negative bound disables clipping
        BETA1,
        BETA2,
        EPSILON,
        false); // L2 on the gradient, not decoupled (AdamW) decay
  }

  private boolean takesInPlacePath(NDArray array) {
    return array.size() >= inPlaceMinElements;
  }

  /**
   * The fused kernel's formula and order of operations with in-place steps: about sixteen passes
   * over arrays already in memory and one fresh array (the root, taken of {@code v +
   * ROOT_FLOOR}), instead of five fresh arrays.
   *
   * @param weight any shape, updated in place
   * @param grad same shape, overwritten
   * @param mean first moment, same shape, updated in place
   * @param variance second moment, same shape, updated in place
   * @param stepSize the bias-corrected learning rate of this update
   * @param decay L2 weight decay added to the gradient (0 for none)
   */
  void applyInPlace(
      NDArray weight, NDArray grad, NDArray mean, NDArray variance, float stepSize, float decay) {
    try (NDArray work = workArrayLike(weight)) {
      if (decay != 0) { // g += decay·w
        work.set(ALL, weight);
        work.muli(scalar(weight, decay));
        grad.addi(work);
      }
      // v = β2·v + ((1 − β2)·g)·g
      work.set(ALL, grad);
      work.muli(scalar(weight, 1 - BETA2)).muli(grad);
      variance.muli(scalar(weight, BETA2)).addi(work);
      // m = β1·m + (1 − β1)·g; the gradient is not needed after this
      grad.muli(scalar(weight, 1 - BETA1));
      mean.muli(scalar(weight, BETA1)).addi(grad);
      // w -= stepSize·m/(sqrt(v) + ε), with the gradient's memory holding the step
      subtractStep(weight, mean, variance, stepSize, grad, work);
    }
  }

  /**
   * Row updates without weight decay run in the arrays' own memory ({@link
   * AdamRowKernel#rowUpdate}), with the result of {@link #applyInPlace} on row copies up to the
   * root's last bit. With weight decay the engine's {@code g + decay·w} can round differently from
   * the JVM's (one unit in the last place was seen), so decayed updates stay on the copies.
   */
  @Override
  RowUpdate listedRowsUpdate(
      NDArray table, NDArray[] state, long[] rows, NDArray rowGrads, long t, float decay) {
    if (decay != 0 || !AdamRowKernel.applies(table, state, rowGrads)) {
      return null;
    }
    return AdamRowKernel.rowUpdate(table, state[0], state[1], rows, rowGrads,
        (float) biasCorrectedRate(learningRate(), t));
  }

  /**
   * Dense table updates that take the zero-gradient path ({@link #hasZeroGradientUpdate}) run in
   * one pass over the arrays' own memory ({@link AdamRowKernel#everyRowUpdate}): the ten passes
   * of {@link #applyZeroGradient} and, for the listed rows, the in-place formula (up to the root's
   * last bit, see {@link AdamRowKernel}).
   */
  @Override
  RowUpdate everyRowUpdate(
      NDArray table, NDArray[] state, long[] rows, NDArray rowGrads, long t) {
    if (!AdamRowKernel.applies(table, state, rowGrads)) {
      return null;
    }
    return AdamRowKernel.everyRowUpdate(table, state[0], state[1], rows, rowGrads,
        (float) biasCorrectedRate(learningRate(), t));
  }

  /**
   * Dense table updates whose zero-gradient part waits until a row is read ({@link
   * DeferredRowDecay}), where the JVM kernel takes the arrays: the same arithmetic as {@link
   * #everyRowUpdate}, row by row.
   */
  @Override
  DeferredRowDecay deferredDecay(NDArray table, NDArray[] state, NDArray rowGrads, long updates) {
    if (!AdamRowKernel.applies(table, state, rowGrads)) {
      return null;
    }
    return new DeferredRowDecay(table, state[0], state[1], updates,
        t -> (float) biasCorrectedRate(learningRate(), t));
  }

  /** The JVM kernel's update of {@link #applyUpdate}, where it takes the arrays. */
  @Override
  WeightUpdate wholeUpdate(NDArray weight, NDArray grad, NDArray[] state, long t, float decay) {
    if (!takesWholeKernel(weight, grad, state, decay)) {
      return null;
    }
    return AdamRowKernel.wholeUpdate(weight, state[0], state[1], grad,
        (float) biasCorrectedRate(learningRate(), t));
  }

  private static boolean takesWholeKernel(
      NDArray weight, NDArray grad, NDArray[] state, float decay) {
    return decay == 0 && AdamRowKernel.applies(weight, state, grad)
        && weight.getShape().equals(grad.getShape());
  }

  /**
   * True for arrays the JVM kernel can address, whatever their size, and for large arrays on the
   * engine's in-place path; a small array the JVM cannot address takes the fused kernel on the
   * gradient written out.
   */
  @Override
  boolean hasZeroGradientUpdate(NDArray weight) {
    return AdamRowKernel.addressable(weight) || takesInPlacePath(weight);
  }

  /**
   * {@link #applyInPlace} with a zero gradient: {@code m = β1·m}, {@code v = β2·v}, {@code w -=
   * stepSize·m/(sqrt(v) + ε)}, in 10 passes instead of 16 and bit for bit the same (the terms a
   * zero gradient contributes are exact zeros).
   */
  @Override
  void applyZeroGradient(NDArray weight, NDArray[] state, long t) {
    NDArray mean = state[0];
    NDArray variance = state[1];
    variance.muli(scalar(weight, BETA2));
    mean.muli(scalar(weight, BETA1));
    try (NDArray work = workArrayLike(weight)) {
      float stepSize = (float) biasCorrectedRate(learningRate(), t);
      subtractStep(weight, mean, variance, stepSize, work, work);
    }
  }

  /**
   * {@code w -= stepSize·m / (sqrt(v + ROOT_FLOOR) + ε)}, the step built in {@code step} and the
   * root in {@code work} (both overwritten; they may be the same array, as the root is taken into
   * a new array before the step is written).
   */
  private void subtractStep(NDArray weight, NDArray mean, NDArray variance, float stepSize,
      NDArray step, NDArray work) {
    try (NDArray denominator = flooredRoot(variance, work)) {
      denominator.addi(scalar(weight, EPSILON));
      step.set(ALL, mean);
      step.muli(stepSize).divi(denominator);
    }
    weight.subi(step);
  }

  /** {@code sqrt(v + ROOT_FLOOR)} as a new array, built in {@code work}, which it overwrites. */
  private NDArray flooredRoot(NDArray variance, NDArray work) {
    work.set(ALL, variance);
    return work.addi(scalar(variance, ROOT_FLOOR)).sqrt();
  }

  /** {@code lr·sqrt(1 − β2^t)/(1 − β1^t)}, computed in double as MXNet does. */
  static double biasCorrectedRate(double learningRate, long t) {
    double coef1 = 1 - Math.pow(BETA1, t);
    double coef2 = 1 - Math.pow(BETA2, t);
    return learningRate * Math.sqrt(coef2) / coef1;
  }
}
