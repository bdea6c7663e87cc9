package dev.o2v.train.optim;

import ai.djl.ndarray.NDArray;
import dev.o2v.core.hp.OptimizerKind;

/**
 * Non-centered RMSProp (Tieleman &amp; Hinton, "Lecture 6.5 – rmsprop", COURSERA: Neural Networks
 * for Machine Learning, 2012) with MXNet 1.x's defaults and ε inside the root:
 *
 * <pre>
 *   g  = grad + wd·w
 *   n  = γ·n + (1 − γ)·g²
 *   w -= lr·g / sqrt(n + ε)                                          γ 0.9, ε 1e-8
 * </pre>
 */
final class RmsProp extends StatefulOptimizer {

  /** Decay of the running mean of squared gradients. */
  public static final float GAMMA = 0.9f;

  /** Added to the running mean before the root. */
  public static final float EPSILON = 1e-8f;

  private static final float ONE_MINUS_GAMMA = 1f - GAMMA;

  /** Creates RMSProp with MXNet's defaults for γ and ε. */
  public RmsProp(double learningRate, double weightDecay) {
    super(OptimizerKind.RMSPROP, learningRate, weightDecay);
  }

  @Override
  int stateSlots() {
    return 1; // running mean of squared gradients n
  }

  @Override
  boolean mutatesGradient(NDArray grad) {
    return true;
  }

  @Override
  void applyUpdate(NDArray weight, NDArray grad, NDArray[] state, long t, float decay) {
    NDArray meanSquare = state[0];
    addWeightDecay(weight, grad, decay);
    meanSquare.muli(scalar(weight, GAMMA));
    try (NDArray squared = grad.mul(grad)) {
      squared.muli(scalar(weight, ONE_MINUS_GAMMA));
      meanSquare.addi(squared);
    }
    try (NDArray denominator = meanSquare.add(scalar(weight, EPSILON))) {
      denominator.powi(scalar(weight, 0.5f)); // in-place root: no second temporary
      grad.divi(denominator);
    }
    grad.muli(scalar(weight, lr()));
    weight.subi(grad);
  }
}
