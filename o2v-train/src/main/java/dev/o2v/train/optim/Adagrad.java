package dev.o2v.train.optim;

import ai.djl.ndarray.NDArray;
import dev.o2v.core.hp.OptimizerKind;

/**
 * AdaGrad (Duchi, Hazan &amp; Singer, "Adaptive Subgradient Methods for Online Learning and
 * Stochastic Optimization", JMLR 2011) with MXNet's default ε:
 *
 * <pre>
 *   g  = grad + wd·w
 *   h += g²
 *   w -= lr·g / (sqrt(h) + ε)                                         ε 1e-7
 * </pre>
 *
 * <p>MXNet 1.x's dense AdaGrad wrote ε inside the root and applied decay outside the adaptive
 * scaling; we use the common form above (ε outside the root, decay as L2 on the gradient, as for
 * every optimizer here). The two agree except for gradients so small that {@code h} is near ε.
 *
 * <p>Lazy row-sparse updates apply the formula to the listed rows and their history only.
 */
final class Adagrad extends StatefulOptimizer {

  /** Added to the root of the accumulated squared gradient. */
  public static final float EPSILON = 1e-7f;

  /** Creates AdaGrad with MXNet's default ε. */
  public Adagrad(double learningRate, double weightDecay) {
    super(OptimizerKind.ADAGRAD, learningRate, weightDecay);
  }

  @Override
  int stateSlots() {
    return 1; // accumulated squared gradient h
  }

  @Override
  boolean mutatesGradient(NDArray grad) {
    return true;
  }

  @Override
  void applyUpdate(NDArray weight, NDArray grad, NDArray[] state, long t, float decay) {
    NDArray history = state[0];
    addWeightDecay(weight, grad, decay);
    try (NDArray squared = grad.mul(grad)) {
      history.addi(squared);
    }
    try (NDArray denominator = history.sqrt()) {
      denominator.addi(scalar(weight, EPSILON));
      grad.divi(denominator);
    }
    grad.muli(scalar(weight, lr()));
    weight.subi(grad);
  }
}
