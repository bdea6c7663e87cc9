package dev.o2v.train.optim;

import ai.djl.ndarray.NDArray;
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
 * <p>Dense updates use the engine's fused {@code adamUpdate} kernel, which implements exactly this
 * formula when given the bias-corrected step size: one native call per parameter (plus one to
 * zero the gradient).
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

  /** Creates Adam with MXNet's defaults for β1, β2 and ε. */
  public Adam(double learningRate, double weightDecay) {
    super(OptimizerKind.ADAM, learningRate, weightDecay);
  }

  @Override
  int stateSlots() {
    return 2; // first moment m, second moment v
  }

  @Override
  boolean mutatesGradient() {
    return false; // the fused kernel works on its own copy of the gradient
  }

  @Override
  void applyUpdate(NDArray weight, NDArray grad, NDArray[] state, long t, float decay) {
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

  /** {@code lr·sqrt(1 − β2^t)/(1 − β1^t)}, computed in double as MXNet does. */
  static double biasCorrectedRate(double learningRate, long t) {
    double coef1 = 1 - Math.pow(BETA1, t);
    double coef2 = 1 - Math.pow(BETA2, t);
    return learningRate * Math.sqrt(coef2) / coef1;
  }
}
