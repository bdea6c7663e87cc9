package dev.o2v.train.optim;

/**
 * A lazy update of listed rows of a token table that the optimizer has already counted and
 * whose arithmetic is fixed (the step size, the rows' gradient), to be run later, row by row, in
 * any order and on any thread ({@link TrainingOptimizer#prepareRowUpdate}). Once every row has
 * been applied exactly once, the table and its optimizer state hold what {@link
 * TrainingOptimizer#updateRows} would have written.
 *
 * <p>Each row reads and writes only its own row of the table and of the state, so rows may be
 * applied on two threads at once, and the engine may read other rows of the table meanwhile. The
 * caller keeps the gradient array open until every row has been applied.
 */
public interface RowUpdate {

  /** The table rows this update changes; index {@code i} is row {@code rows()[i]}. */
  long[] rows();

  /** Applies the update to the rows at {@code indices} (into {@link #rows()}), on this thread. */
  void apply(int[] indices);

  /**
   * Applies the update to every row now, split over the engine's intra-op threads where there are
   * enough rows; for an update none of whose rows has been applied yet.
   */
  void applyAll();
}
