package dev.o2v.train.optim;

import dev.o2v.core.hp.OptimizerKind;

/**
 * Hand-written double-precision versions of each update formula, written from the formulas in the
 * optimizers' Javadoc, used as the expected values in tests.
 */
final class ReferenceUpdates {

  private ReferenceUpdates() {}

  /** Per-element state of one weight vector: two slots, zero-initialised. */
  static double[][] newState(int length) {
    return new double[2][length];
  }

  /** Applies one update of {@code kind} to elements {@code i} of w and state, in place. */
  static void apply(
      OptimizerKind kind, double lr, double wd, double[] w, double[] grad, double[][] s, long t) {
    for (int i = 0; i < w.length; i++) {
      double g = grad[i] + wd * w[i];
      switch (kind) {
        case SGD -> w[i] -= lr * g;
        case ADAM -> {
          s[0][i] = 0.9 * s[0][i] + 0.1 * g;
          s[1][i] = 0.999 * s[1][i] + 0.001 * g * g;
          double rate = lr * Math.sqrt(1 - Math.pow(0.999, t)) / (1 - Math.pow(0.9, t));
          w[i] -= rate * s[0][i] / (Math.sqrt(s[1][i]) + 1e-8);
        }
        case ADAGRAD -> {
          s[0][i] += g * g;
          w[i] -= lr * g / (Math.sqrt(s[0][i]) + 1e-7);
        }
        case RMSPROP -> {
          s[0][i] = 0.9 * s[0][i] + 0.1 * g * g;
          w[i] -= lr * g / Math.sqrt(s[0][i] + 1e-8);
        }
        case ADADELTA -> {
          s[0][i] = 0.9 * s[0][i] + 0.1 * g * g;
          double delta = Math.sqrt(s[1][i] + 1e-5) / Math.sqrt(s[0][i] + 1e-5) * g;
          s[1][i] = 0.9 * s[1][i] + 0.1 * delta * delta;
          w[i] -= delta;
        }
      }
    }
  }
}
