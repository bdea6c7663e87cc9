package dev.o2v.train.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.util.PairList;
import dev.o2v.core.hp.OptimizerKind;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Optional;

/**
 * Updates model weights in place from their gradients and keeps saveable per-parameter state.
 *
 * <p>Intended use in a hand-written loop: run forward and backward inside a {@code
 * GradientCollector}, close the collector, then call {@link #step(PairList)} with {@code
 * block.getParameters()}. State is keyed by the parameter's name in that list (stable across runs,
 * unlike {@link Parameter#getId()}), so a checkpoint written by {@link #saveState} can be restored
 * into a rebuilt model.
 *
 * <p>Gradients are consumed: PyTorch's backward accumulates into each weight's gradient and no one
 * else resets it, so every update zeroes the gradient it used. A weight without a gradient (frozen,
 * or never reached by backward) is skipped and its state is neither created nor advanced. A caller
 * that has the gradient in an array of its own (backward wrote it into a fresh array) hands it to
 * {@link #applyGradient} instead, which needs no zeroing and may use that array as scratch.
 *
 * <p>Updates switch grad mode off for their duration and restore it afterwards, so they work on
 * any thread, including threads on which grad mode is on by default.
 */
public interface TrainingOptimizer extends AutoCloseable {

  /** Which algorithm this is. */
  OptimizerKind kind();

  /** The learning rate given at construction. */
  double learningRate();

  /** The L2 weight decay given at construction ({@code g ← grad + wd·w}). */
  double weightDecay();

  /**
   * Updates every parameter of {@code params} that has a gradient, then zeroes those gradients.
   *
   * @param params name → parameter, typically {@code block.getParameters()}; names key the state
   */
  void step(PairList<String, Parameter> params);

  /**
   * Updates one weight from its own gradient, then zeroes that gradient.
   *
   * @param paramId stable name that keys this weight's state
   * @param weight the parameter's array, any shape
   * @return false when the weight has no gradient and was left untouched
   */
  boolean update(String paramId, NDArray weight);

  /**
   * Updates one weight like {@link #update(String, NDArray)}, but multiplies its gradient, after
   * weight decay has been added, by {@code rowMask}: rows whose mask is 0 get a zero gradient,
   * decay included. With every optimizer here a zero gradient on zero state changes neither the
   * row nor its state, so rows masked from their first update on stay bit for bit (frozen
   * pretrained rows of a dense table).
   *
   * @param rowMask 0s and 1s broadcastable to {@code weight}, e.g. {@code [V, 1]} for a table
   * @return false when the weight has no gradient and was left untouched
   */
  boolean update(String paramId, NDArray weight, NDArray rowMask);

  /**
   * Creates the state of a weight now (zeros, as at its first update), if it has none yet, so that
   * the first update does not pay for it: for a large table the allocation, and the first touch
   * of every page of it, take longer than many steps. The result of training is unchanged.
   *
   * @param paramId stable name that keys this weight's state
   * @param weight the parameter's array
   */
  void prepareState(String paramId, NDArray weight);

  /**
   * Updates one weight from a gradient the caller hands over, such as the fresh array backward
   * wrote for a per-step leaf sharing the weight's memory. The weight's own gradient is neither
   * read nor reset, and {@code gradient} may be overwritten: the caller discards it afterwards.
   *
   * @param paramId stable name that keys this weight's state
   * @param weight the parameter's array, any shape, updated in place
   * @param gradient same shape as {@code weight}
   * @param rowMask null for none, else as in {@link #update(String, NDArray, NDArray)}: applied
   *     after weight decay has been added
   */
  void applyGradient(String paramId, NDArray weight, NDArray gradient, NDArray rowMask);

  /**
   * One dense update of an embedding table whose gradient is {@code rowGrads} on the listed rows
   * and zero on every other row: the same result as {@link #applyGradient} with that gradient
   * written out (every row's state moves, as dense training wants), without building the
   * table-sized gradient where the optimizer has a cheaper way to apply a zero gradient.
   *
   * @param paramId stable name that keys the table's state
   * @param table weights {@code [V, D]}, updated in place
   * @param rowIds {@code [U]} int64, unique row indices into {@code table} (U may be 0)
   * @param rowGrads {@code [U, D]} gradient of those rows (not modified)
   * @param rowMask null for none, else as in {@link #applyGradient}
   */
  void applyRowGradient(
      String paramId, NDArray table, NDArray rowIds, NDArray rowGrads, NDArray rowMask);

  /**
   * {@link #applyRowGradient} without a row mask, with the update of the rows not listed put off
   * until each is read: the listed rows take the update now; every other row of the table and of
   * its state stays behind until {@link #settleRows} or {@link #settle} brings it up to date, with
   * the values the update of every row at every step would have given, bit for bit. A step then
   * costs the rows it reads instead of the whole table. Nothing may read a row that is behind.
   *
   * @return false, with nothing done or counted, where the optimizer cannot put updates off
   *     (another optimizer or device, weight decay); the caller then calls {@link
   *     #applyRowGradient}
   */
  default boolean deferRowGradient(
      String paramId, NDArray table, NDArray rowIds, NDArray rowGrads) {
    return false;
  }

  /**
   * Brings rows {@code rows} (distinct) of the named table and of its state up to date with the
   * updates {@link #deferRowGradient} put off. Call it before reading them.
   */
  default void settleRows(String paramId, long[] rows) {}

  /**
   * Brings every row of every table up to date with the updates {@link #deferRowGradient} put
   * off. Call it before reading or saving the weights or the state.
   */
  default void settle() {}

  /**
   * Lazily updates only the given rows of an embedding table and of its optimizer state; rows not
   * listed, and their state, are left untouched (weight decay included). The cost is proportional
   * to {@code U·D}, independent of {@code V}.
   *
   * @param paramId stable name that keys the table's state
   * @param table weights {@code [V, D]}, written in place
   * @param rowIds {@code [U]} int64, unique row indices into {@code table}
   * @param rowGrads {@code [U, D]} gradient of the loss with respect to those rows (not modified)
   * @throws UnsupportedOperationException for optimizers without a lazy update (see {@link
   *     OptimizerKind#supportsRowSparse()})
   */
  void updateRows(String paramId, NDArray table, NDArray rowIds, NDArray rowGrads);

  /**
   * {@link #updateRows} split in two: counts the update now and returns its arithmetic as a
   * {@link RowUpdate} to run later, where the optimizer can run it outside the engine (on the
   * JVM, in the arrays' own memory). Empty, with no update counted, where it cannot (another
   * optimizer or device, weight decay, no rows); the caller then calls {@link #updateRows}.
   * Nothing may read the listed rows of the table or of its state until every row has been
   * applied.
   *
   * @param paramId stable name that keys the table's state
   * @param table weights {@code [V, D]}
   * @param rowIds {@code [U]} int64, unique row indices into {@code table}
   * @param rowGrads {@code [U, D]} gradient of those rows, read when the rows are applied
   */
  default Optional<RowUpdate> prepareRowUpdate(
      String paramId, NDArray table, NDArray rowIds, NDArray rowGrads) {
    return Optional.empty();
  }

  /**
   * {@link #applyRowGradient} without a row mask split in two, as {@link #prepareRowUpdate} does
   * for {@link #updateRows}: counts the update now and returns the dense update of every row as a
   * {@link RowUpdate} (index {@code i} is row {@code i}) to run later. Empty, with no update
   * counted, where the optimizer cannot run it outside the engine; the caller then calls {@link
   * #applyRowGradient}. Nothing may read a row of the table or of its state until that row has
   * been applied.
   */
  default Optional<RowUpdate> prepareRowGradientUpdate(
      String paramId, NDArray table, NDArray rowIds, NDArray rowGrads) {
    return Optional.empty();
  }

  /**
   * {@link #applyGradient} without a row mask split in two: counts the update now and returns its
   * arithmetic as a {@link WeightUpdate} to run later, where the optimizer can run it outside the
   * engine (on the JVM, in the arrays' own memory). Empty, with no update counted, where it
   * cannot (another optimizer or device, weight decay); the caller then calls {@link
   * #applyGradient}. Nothing may read the weight or its state until every element has been
   * applied.
   *
   * @param gradient same shape as {@code weight}, read when the update is applied
   */
  default Optional<WeightUpdate> prepareGradientUpdate(
      String paramId, NDArray weight, NDArray gradient) {
    return Optional.empty();
  }

  /** How many updates (dense or row-sparse) the named parameter has received; 0 if none. */
  long updateCount(String paramId);

  /**
   * Writes every update counter and state array, keyed by parameter name, in a versioned form.
   *
   * @throws IllegalStateException while updates are put off ({@link #settle} first)
   */
  void saveState(DataOutputStream out) throws IOException;

  /**
   * Replaces this optimizer's counters and state with those written by {@link #saveState}; the
   * arrays are created in a sub-manager of {@code manager} (which fixes their device).
   *
   * @throws IOException if the stream is not optimizer state of this kind in a known version
   * @throws IllegalStateException while updates are put off ({@link #settle} first)
   */
  void loadState(DataInputStream in, NDManager manager) throws IOException;

  /** Frees the state arrays. */
  @Override
  void close();
}
