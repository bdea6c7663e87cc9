package dev.o2v.train.optim;

/**
 * An update of a whole weight that the optimizer has already counted and whose arithmetic is
 * fixed (the step size, the gradient), to be run later a span of elements at a time, in any order
 * and on any thread ({@link TrainingOptimizer#prepareGradientUpdate}). Once every element has been
 * applied exactly once, the weight and its optimizer state hold what {@link
 * TrainingOptimizer#applyGradient} would have written.
 *
 * <p>Each element reads and writes only itself in the weight and in the state, so spans may be
 * applied on two threads at once. Nothing may read the weight until every span has been applied.
 * The caller keeps the gradient array open until then.
 */
public interface WeightUpdate {

  /** How many elements the weight has. */
  int size();

  /** Applies the update to the elements {@code [from, to)} of the weight in memory order. */
  void apply(int from, int to);
}
