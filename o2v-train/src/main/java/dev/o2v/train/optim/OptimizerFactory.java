package dev.o2v.train.optim;

import dev.o2v.core.hp.OptimizerKind;

/** Creates the optimizer named by an {@link OptimizerKind}. */
public final class OptimizerFactory {

  private OptimizerFactory() {}

  /**
   * Creates a fresh optimizer with no state.
   *
   * @param learningRate step size, finite and &gt; 0 (not applied by {@link Adadelta})
   * @param weightDecay L2 coefficient, finite and &ge; 0, added to every gradient as wd·w
   * @throws IllegalArgumentException if a rate is out of range
   */
  public static TrainingOptimizer create(
      OptimizerKind kind, double learningRate, double weightDecay) {
    return switch (kind) {
      case ADAM -> new Adam(learningRate, weightDecay);
      case ADAGRAD -> new Adagrad(learningRate, weightDecay);
      case ADADELTA -> new Adadelta(learningRate, weightDecay);
      case SGD -> new Sgd(learningRate, weightDecay);
      case RMSPROP -> new RmsProp(learningRate, weightDecay);
    };
  }
}
