package dev.o2v.train.optim;

/**
 * An update of rows of a token table that the optimizer has already counted and whose arithmetic
 * is fixed (the step size, the rows' gradient), to be run later, row by row, in any order and on
 * any thread: the lazy update of listed rows ({@link TrainingOptimizer#prepareRowUpdate}) or the
 * dense update of every row ({@link TrainingOptimizer#prepareRowGradientUpdate}). Once every row
 * has been applied exactly once, the table and its optimizer state hold what the update in one
 * go would have written.
 *
 * <p>Each row reads and writes only its own row of the table and of the state, so rows may be
 * applied on two threads at once, and the engine may read other rows of the table meanwhile. The
 * caller keeps the gradient array open until every row has been applied.
 */
public interface RowUpdate {

  /** How many table rows this update changes. */
  int size();

  /** The table row at {@code index}, {@code 0 <= index < size()}. */
  long row(int index);

  /**
   * Applies the update to the rows at {@code indices} (ascending, each below {@link #size()}), on
   * this thread.
   */
  void apply(int[] indices);

  /**
   * Applies the update to every row now, split over the engine's intra-op threads where there are
   * enough rows; for an update none of whose rows has been applied yet.
   */
  void applyAll();
}
