package dev.o2v.train.optim;

import ai.djl.ndarray.NDArray;
import dev.o2v.core.hp.OptimizerKind;

/**
 * AdaDelta (Zeiler, "ADADELTA: An Adaptive Learning Rate Method", arXiv:1212.5701, 2012) with
 * MXNet 1.x's defaults:
 *
 * <pre>
 *   g  = grad + wd·w
 *   Eg = ρ·Eg + (1 − ρ)·g²
 *   Δ  = sqrt(Ed + ε) / sqrt(Eg + ε) · g
 *   Ed = ρ·Ed + (1 − ρ)·Δ²
 *   w -= Δ                                                           ρ 0.9, ε 1e-5
 * </pre>
 *
 * <p><b>The learning rate is not used</b>, as in MXNet and in Zeiler's paper (PyTorch instead
 * multiplies Δ by lr, default 1.0). Reason: SageMaker's Object2Vec ran MXNet's AdaDelta, so its
 * {@code learning_rate} had no effect with {@code optimizer=adadelta}; scaling Δ by the SageMaker
 * default learning rate (0.0004) would make our AdaDelta about 2500 times slower than the one
 * users of the original algorithm tuned their settings against. The learning rate is still
 * validated and reported by {@link #learningRate()}.
 */
final class Adadelta extends StatefulOptimizer {

  /** Decay of both running means. */
  public static final float RHO = 0.9f;

  /** Added inside both roots. */
  public static final float EPSILON = 1e-5f;

  private static final float ONE_MINUS_RHO = 1f - RHO;

  /** Creates AdaDelta with MXNet's defaults for ρ and ε; {@code learningRate} is not applied. */
  public Adadelta(double learningRate, double weightDecay) {
    super(OptimizerKind.ADADELTA, learningRate, weightDecay);
  }

  @Override
  int stateSlots() {
    return 2; // running mean of squared gradients Eg, of squared updates Ed
  }

  @Override
  boolean mutatesGradient(NDArray grad) {
    return true;
  }

  @Override
  void applyUpdate(NDArray weight, NDArray grad, NDArray[] state, long t, float decay) {
    NDArray meanSquareGrad = state[0];
    NDArray meanSquareDelta = state[1];
    addWeightDecay(weight, grad, decay);
    meanSquareGrad.muli(scalar(weight, RHO));
    try (NDArray squared = grad.mul(grad)) {
      squared.muli(scalar(weight, ONE_MINUS_RHO));
      meanSquareGrad.addi(squared);
    }
    NDArray epsilon = scalar(weight, EPSILON);
    try (NDArray delta = meanSquareDelta.add(epsilon);
        NDArray denominator = meanSquareGrad.add(epsilon)) {
      delta.divi(denominator);
      delta.powi(scalar(weight, 0.5f)); // sqrt(a)/sqrt(b) as one root of a/b
      delta.muli(grad);
      weight.subi(delta);
      delta.muli(delta);
      delta.muli(scalar(weight, ONE_MINUS_RHO));
      meanSquareDelta.muli(scalar(weight, RHO));
      meanSquareDelta.addi(delta);
    }
  }
}
