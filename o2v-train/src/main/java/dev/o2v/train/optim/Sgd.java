package dev.o2v.train.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.jni.JniUtils;
import dev.o2v.core.hp.OptimizerKind;

/**
 * Plain stochastic gradient descent (Robbins &amp; Monro, "A Stochastic Approximation Method",
 * 1951) without momentum, with L2 weight decay added to the gradient as in MXNet 1.x:
 *
 * <pre>
 *   w -= lr·(grad + wd·w)
 * </pre>
 *
 * <p>Dense updates use the engine's fused {@code sgdUpdate} kernel (one native call). Lazy
 * row-sparse updates apply the formula to the listed rows only, so weight decay reaches only
 * touched rows.
 */
final class Sgd extends StatefulOptimizer {

  /** Creates plain SGD. */
  public Sgd(double learningRate, double weightDecay) {
    super(OptimizerKind.SGD, learningRate, weightDecay);
  }

  @Override
  int stateSlots() {
    return 0;
  }

  @Override
  boolean mutatesGradient(NDArray grad) {
    return false; // the fused kernel works on its own copy of the gradient
  }

  @Override
  void applyUpdate(NDArray weight, NDArray grad, NDArray[] state, long t, float decay) {
    JniUtils.sgdUpdate(
        asPyTorch(weight, "sgd weight"),
        asPyTorch(grad, "sgd gradient"),
        null, // no momentum buffer
        lr(),
        decay,
        1f, // no gradient rescaling
        -1f, // a negative bound disables clipping
        0f); // no momentum
  }
}
