package dev.o2v.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import dev.o2v.core.batch.Batch;
import dev.o2v.core.hp.OutputLayer;
import dev.o2v.encoders.Object2VecBlock;
import dev.o2v.encoders.TokenEmbedding;
import dev.o2v.encoders.encoder.PooledEmbeddingEncoder;
import dev.o2v.train.loss.PairLoss;
import dev.o2v.train.optim.RowUpdate;
import dev.o2v.train.optim.TrainingOptimizer;
import dev.o2v.train.optim.WeightUpdate;
import dev.o2v.train.runtime.NoGradScope;
import dev.o2v.train.runtime.StepThreads;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A training step that runs the network on the token-table rows the batch reads, gathered into
 * small arrays, so that backward never builds a table-sized gradient.
 *
 * <p>Per step and per distinct table: the rows the batch's real tokens read are found on the JVM
 * ({@link BatchRows}), gathered into a leaf array {@code [U, D]} that requires gradient, and the
 * network runs on the ids renumbered into that array, applying dropout as the full forward pass
 * does. A pooled_embedding side never builds its token vectors: its encoding is a sparse
 * record-by-row matrix times the gathered rows ({@link PooledEmbeddingEncoder#meanOfRows}), whose
 * backward is as small as the rows. After backward the table is updated from
 * the rows' gradient, as its storage type asks:
 *
 * <ul>
 *   <li>{@code row_sparse}: {@link TrainingOptimizer#updateRows} updates only the trainable rows
 *       the batch read and their optimizer state (lazy); the cost does not grow with the
 *       vocabulary.
 *   <li>{@code dense}: every row is updated as a dense gradient that is zero outside the batch's
 *       rows would update it. Where the optimizer can ({@link
 *       TrainingOptimizer#deferRowGradient}: Adam without weight decay), the rows the batch read
 *       take the update now and every other row takes the updates it missed when a later batch
 *       reads it or the step closes, bit for bit the same, so a step costs its batch's rows and
 *       not the whole table; when updates are held for the next step, only for tables of {@link
 *       #HELD_DENSE_MAX} elements or more. Otherwise {@link TrainingOptimizer#applyRowGradient}
 *       updates every row at once (the optimizer applies the zero part without building it where
 *       it can); a table with frozen pretrained rows passes its mask of trainable rows, applied
 *       after weight decay, so frozen rows never move.
 * </ul>
 *
 * <p>Frozen pretrained rows are gathered but their gradient is never applied. The tables never
 * enter autograd. With tied tables both sides read one gathered array built from the union of
 * their ids. Every other weight is read through {@link FreshGradientParameters}, so backward
 * writes its gradient into a fresh array that {@link TrainingOptimizer#applyGradient} consumes:
 * no gradient is kept, zeroed or accumulated across steps.
 *
 * <p>Where libtorch runs the network on one thread and leaves a core idle, the updates the
 * optimizer can run on the JVM (tables without frozen rows, weights) are held and run during the
 * next step, beside its forward and backward pass, each done before the step reads what it
 * changes ({@link HeldUpdates}); {@link #close} completes them.
 */
final class GatheredRowsTrainingStep implements TrainingStep {

  private final Object2VecBlock block;
  private final TrainingOptimizer optimizer;
  private final NDManager manager;
  private final FreshGradientParameters parameters;
  private final PairLoss loss;
  private final boolean softmax;
  private final boolean lazyTables;
  /** One entry per distinct table: side 0's, then side 1's unless tied. */
  private final Table[] tables;
  private final PairList<String, Parameter> otherParameters = new PairList<>();
  /** Whether each side's encoder is pooled_embedding. */
  private final boolean[] pooledSide = new boolean[2];
  /** The other parameters' names. */
  private final Map<Parameter, String> otherNames = new IdentityHashMap<>();
  /** Updates held for the next step. */
  private final HeldUpdates held = new HeldUpdates();
  /** System property: {@code false} runs every update within its own step. */
  static final String HOLD_PROPERTY = "o2v.holdUpdates";
  /** System property: {@code false} updates every row of a dense table at every step. */
  static final String DEFER_PROPERTY = "o2v.deferRowDecay";
  /**
   * Dense tables below this many elements take the update of every row beside the next step
   * when a core is free, rather than their rows' updates when next read: the helper thread then
   * does all of it off the step's path. Putting them off moved the rows' catching up and their
   * gradient update onto the step's thread, and the small hcnn of the benchmarks (a 64,000-element
   * table) trained 5% slower (one process switching between the two, 6.4–6.7 ms a step against
   * 6.8–7.0 ms). A table of a million elements or more costs the helper about a millisecond a
   * step or more, as long as a small network's whole step.
   */
  static final long HELD_DENSE_MAX = 1L << 20;

  /** A token table, the name keying its optimizer state, and its per-batch row index. */
  private record Table(TokenEmbedding embedding, String name, BatchRows rows) {}

  /**
   * Creates the step.
   *
   * @param lazyTables true for lazy row-sparse table updates, false for dense ones
   */
  GatheredRowsTrainingStep(
      Object2VecBlock block, TrainingOptimizer optimizer, NDManager manager, boolean lazyTables) {
    this.block = block;
    this.optimizer = optimizer;
    this.manager = manager;
    this.parameters = new FreshGradientParameters(manager, held::awaitWeight);
    this.loss = PairLoss.forOutput(block.hyperparameters().outputLayer());
    this.softmax = block.hyperparameters().outputLayer() == OutputLayer.SOFTMAX;
    this.lazyTables = lazyTables;
    PairList<String, Parameter> all = block.getParameters();
    int distinct = block.tiedTokenEmbedding() ? 1 : 2;
    this.tables = new Table[distinct];
    for (int t = 0; t < distinct; t++) {
      TokenEmbedding embedding = block.tokenEmbedding(t);
      tables[t] = new Table(embedding, nameOf(all, embedding.table()), new BatchRows(embedding));
    }
    for (int side = 0; side < 2; side++) {
      pooledSide[side] = block.encoder(side) instanceof PooledEmbeddingEncoder;
    }
    for (Pair<String, Parameter> entry : all) {
      if (!isTable(entry.getValue())) {
        otherParameters.add(entry);
        otherNames.put(entry.getValue(), entry.getKey());
      }
    }
  }

  @Override
  public StepOutcome run(Batch batch) {
    for (Table table : tables) {
      table.rows().clear();
    }
    for (int side = 0; side < 2; side++) {
      tableOf(side).rows().collect(batch.ids(side), batch.lengths(side), batch.maxLength(side));
    }
    for (Table table : tables) {
      table.rows().seal();
    }
    boolean hold = spareCore();
    held.start(batchRows());
    boolean previousFinished = false;
    // The updates run after the scope has closed: the optimizer creates its state arrays at
    // first use, and an open scope would claim (and later free) them.
    try (NDManager batchManager = manager.newSubManager()) {
      parameters.beginStep(batchManager);
      try {
        NDArray[] rowIds = new NDArray[tables.length];
        NDArray[] rowGrads = new NDArray[tables.length];
        StepOutcome outcome;
        try (NDScope scope = new NDScope()) {
          NDArray[] gathered = new NDArray[tables.length];
          try (NoGradScope noGrad = NoGradScope.enter()) {
            for (int t = 0; t < tables.length; t++) {
              long[] tableRows = tables[t].rows().tableRows();
              if (!lazyTables) {
                optimizer.settleRows(tables[t].name(), tableRows); // updates put off, if any
              }
              rowIds[t] = HostTensors.longs(batchManager, tableRows);
              // A row gather (one copy per row), where indexing with an array (get) copies
              // element by element and took twice as long on a table far larger than the caches.
              gathered[t] = TokenEmbedding.gather(tables[t].embedding().table().getArray(),
                  rowIds[t]);
              gathered[t].attach(batchManager);
              gathered[t].setRequiresGradient(true);
            }
          }
          NDArray labels = BatchTensors.labels(batchManager, batch);
          try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray[] encodings = encode(batchManager, batch, gathered);
            NDArray output = block.forwardEncodings(parameters, encodings[0], encodings[1], true)
                .singletonOrThrow();
            NDArray meanLoss = loss.mean(output, labels);
            collector.backward(meanLoss);
            outcome = StepOutcome.read(meanLoss, output, labels, softmax);
          }
          for (int t = 0; t < tables.length; t++) {
            rowGrads[t] = gathered[t].getGradient();
            rowGrads[t].attach(batchManager);
          }
          NDScope.unregister(rowIds);
          NDScope.unregister(rowGrads);
        }
        held.finish();
        previousFinished = true;
        if (Double.isFinite(outcome.meanLoss())) {
          updateTables(rowIds, rowGrads, hold);
          updateOthers(hold);
          held.release();
        }
        return outcome;
      } finally {
        parameters.endStep();
      }
    } finally {
      if (!previousFinished) {
        held.finish(); // nothing may write into the weights once a failed step returns
      }
    }
  }

  /** Whether the last step held updates for the next one. */
  boolean holdsUpdates() {
    return !held.isEmpty();
  }

  /**
   * Applies the updates still held and stops the helper thread, then the table rows' updates put
   * off.
   */
  @Override
  public void close() {
    try {
      held.close();
    } finally {
      optimizer.settle();
    }
  }

  /**
   * Whether a dense table's rows that the batch did not read take their update when next read
   * ({@link TrainingOptimizer#deferRowGradient}) rather than now, unless the system property
   * {@value #DEFER_PROPERTY} is {@code false}. The weights are the same bit for bit either way.
   */
  private static boolean deferRowDecay() {
    return !"false".equals(System.getProperty(DEFER_PROPERTY));
  }

  /**
   * Whether a core is free while the step runs: libtorch runs this network on one thread
   * ({@link StepThreads}) of an engine configured for more. Updates then run beside the next step
   * ({@link HeldUpdates}) unless the system property {@value #HOLD_PROPERTY} is {@code false}.
   */
  private static boolean spareCore() {
    return !"false".equals(System.getProperty(HOLD_PROPERTY))
        && JniUtils.getNumThreads() == 1 && StepThreads.hostWorkers() > 1;
  }

  private BatchRows[] batchRows() {
    BatchRows[] rows = new BatchRows[tables.length];
    for (int t = 0; t < tables.length; t++) {
      rows[t] = tables[t].rows();
    }
    return rows;
  }

  /**
   * Both sides' encodings after dropout, computed from the gathered rows: a pooled side as the
   * product of its sparse token matrix and the rows ({@link PooledEmbeddingEncoder#meanOfRows}),
   * so no {@code [B, T, D]} array is built and padding needs no mask (two pooled sides of one tied
   * table share one product, and so one gradient of the rows); any other encoder from its token
   * vectors (two sides without a pooled one through {@link Object2VecBlock#encodeBothEmbedded},
   * which runs two hcnn encoders alike in one pass). Dropout runs side 0 first, as each side's
   * draws from the engine's generator.
   */
  private NDArray[] encode(NDManager batchManager, Batch batch, NDArray[] gathered) {
    if (!pooledSide[0] && !pooledSide[1]) {
      return block.encodeBothEmbedded(parameters,
          embed(batchManager, batch, 0, gathered), HostTensors.ints(batchManager, batch.lengths(0)),
          embed(batchManager, batch, 1, gathered), HostTensors.ints(batchManager, batch.lengths(1)),
          true);
    }
    NDArray[] pooled = new NDArray[2];
    if (tables.length == 1 && pooledSide[0] && pooledSide[1]) {
      NDArray both = meanOfRows(batchManager, batch, new int[] {0, 1}, gathered[0]);
      pooled[0] = both.get(new NDIndex("0:{}", batch.size()));
      pooled[1] = both.get(new NDIndex("{}:", batch.size()));
    } else {
      for (int side = 0; side < 2; side++) {
        if (pooledSide[side]) {
          pooled[side] =
              meanOfRows(batchManager, batch, new int[] {side}, gathered[tableIndex(side)]);
        }
      }
    }
    NDArray[] encodings = new NDArray[2];
    for (int side = 0; side < 2; side++) {
      encodings[side] = pooledSide[side]
          ? block.dropEncoding(parameters, pooled[side], side, true)
          : block.encodeEmbedded(parameters, embed(batchManager, batch, side, gathered),
              HostTensors.ints(batchManager, batch.lengths(side)), side, true);
    }
    return encodings;
  }

  /**
   * The pooled encodings of {@code sides} (which read one table), stacked record after record in
   * side order: {@code [sides.length * B, D]}.
   */
  private NDArray meanOfRows(NDManager batchManager, Batch batch, int[] sides, NDArray rows) {
    if (rows.getShape().get(0) > 0 && oneTokenAtMost(batch, sides)) {
      return oneTokenRows(batchManager, batch, sides, rows);
    }
    int records = batch.size();
    long[][] perSide = new long[sides.length][];
    int[] lengths = new int[sides.length * records];
    int total = 0;
    for (int k = 0; k < sides.length; k++) {
      int side = sides[k];
      perSide[k] = tableOf(side).rows().tokenCoordinates(
          batch.ids(side), batch.lengths(side), batch.maxLength(side));
      System.arraycopy(batch.lengths(side), 0, lengths, k * records, records);
      total += perSide[k].length / 2;
    }
    long[] coordinates = new long[2 * total];
    int at = 0;
    for (int k = 0; k < sides.length; k++) {
      int n = perSide[k].length / 2;
      for (int i = 0; i < n; i++) {
        coordinates[at + i] = perSide[k][i] + (long) k * records;
        coordinates[total + at + i] = perSide[k][n + i];
      }
      at += n;
    }
    NDArray tokens = HostTensors.sparseCounts(batchManager, coordinates,
        new Shape((long) sides.length * records, rows.getShape().get(0)));
    return PooledEmbeddingEncoder.meanOfRows(
        tokens, rows, HostTensors.ints(batchManager, lengths));
  }

  /** Whether every record of {@code sides} holds at most one token in this batch. */
  private static boolean oneTokenAtMost(Batch batch, int[] sides) {
    for (int side : sides) {
      if (batch.maxLength(side) != 1) {
        return false;
      }
    }
    return true;
  }

  /**
   * {@link #meanOfRows} of sides whose records hold one token or none ({@code max_seq_len} 1, as
   * in user-item data): the mean of one token is its row, so a row gather replaces the sparse
   * product, with a 0/1 factor where a record is empty. The same values; the rows' gradient sums
   * the same terms.
   */
  private NDArray oneTokenRows(NDManager batchManager, Batch batch, int[] sides, NDArray rows) {
    int records = batch.size();
    int[] local = new int[sides.length * records];
    float[] present = new float[local.length];
    boolean anyEmpty = false;
    for (int k = 0; k < sides.length; k++) {
      int side = sides[k];
      int[] lengths = batch.lengths(side);
      System.arraycopy(tableOf(side).rows().localIds(batch.ids(side), lengths, 1), 0, local,
          k * records, records);
      for (int r = 0; r < records; r++) {
        present[k * records + r] = lengths[r];
        anyEmpty |= lengths[r] == 0;
      }
    }
    NDArray picked = TokenEmbedding.gather(rows, HostTensors.ints(batchManager, local,
        new Shape(local.length)));
    return anyEmpty
        ? picked.mul(batchManager.create(present, new Shape(local.length, 1)))
        : picked;
  }

  /** Side {@code side}'s token vectors {@code [B, T, D]} read from its gathered rows. */
  private NDArray embed(NDManager batchManager, Batch batch, int side, NDArray[] gathered) {
    int t = tableIndex(side);
    int width = batch.maxLength(side);
    int[] local = tables[t].rows().localIds(batch.ids(side), batch.lengths(side), width);
    NDArray ids = HostTensors.ints(batchManager, local, new Shape(batch.size(), width));
    return TokenEmbedding.gather(gathered[t], ids);
  }

  /**
   * Updates each table from its trainable rows' gradient (frozen rows come last and are cut);
   * with {@code hold}, an update the optimizer can run on the JVM is held for the next step
   * ({@link HeldUpdates}).
   */
  private void updateTables(NDArray[] rowIds, NDArray[] rowGrads, boolean hold) {
    for (int t = 0; t < tables.length; t++) {
      int trainable = tables[t].rows().trainableCount();
      NDArray grad = rowGrads[t];
      NDArray ids = rowIds[t];
      if (trainable < tables[t].rows().count()) {
        NDIndex head = new NDIndex("0:{}", trainable);
        grad = grad.get(head);
        ids = ids.get(head);
      }
      String name = tables[t].name();
      NDArray table = tables[t].embedding().table().getArray();
      if (!lazyTables) {
        TokenEmbedding embedding = tables[t].embedding();
        NDArray rowMask = embedding.frozenRowCount() == 0
            ? null : embedding.cachedTrainableRowMask(table.getDevice());
        if (rowMask == null && deferRowDecay() && (!hold || table.size() >= HELD_DENSE_MAX)
            && optimizer.deferRowGradient(name, table, ids, grad)) {
          continue;
        }
        Optional<RowUpdate> later = hold && rowMask == null
            ? optimizer.prepareRowGradientUpdate(name, table, ids, grad)
            : Optional.empty();
        if (later.isPresent()) {
          holdTable(t, later.get(), grad);
        } else {
          optimizer.applyRowGradient(name, table, ids, grad, rowMask);
        }
      } else if (trainable > 0) {
        Optional<RowUpdate> later = hold
            ? optimizer.prepareRowUpdate(name, table, ids, grad)
            : Optional.empty();
        if (later.isPresent()) {
          holdTable(t, later.get(), grad);
        } else {
          optimizer.updateRows(name, table, ids, grad);
        }
      }
    }
  }

  private void holdTable(int t, RowUpdate update, NDArray grad) {
    grad.attach(held.gradientManager(manager));
    held.holdTable(t, update);
  }

  /**
   * Updates every other weight from the gradient backward wrote for it in this step, in the order
   * the network read them; with {@code hold}, an update the optimizer can run on the JVM is held
   * for the next step ({@link HeldUpdates}). A weight whose gradient did not come through the
   * step's leaves is updated from its own gradient, if it has one.
   */
  private void updateOthers(boolean hold) {
    for (Parameter parameter : parameters.readOrder()) {
      String name = otherNames.get(parameter);
      if (name != null) {
        update(name, parameter, hold);
      }
    }
    for (Pair<String, Parameter> entry : otherParameters) {
      if (!parameters.wasRead(entry.getValue())) {
        update(entry.getKey(), entry.getValue(), false);
      }
    }
  }

  private void update(String name, Parameter parameter, boolean hold) {
    NDArray weight = parameter.getArray();
    NDArray gradient = parameters.gradient(parameter);
    if (gradient == null) {
      optimizer.update(name, weight);
      return;
    }
    Optional<WeightUpdate> later = hold
        ? optimizer.prepareGradientUpdate(name, weight, gradient)
        : Optional.empty();
    if (later.isPresent()) {
      gradient.attach(held.gradientManager(manager));
      held.holdWeight(parameter, later.get());
    } else {
      optimizer.applyGradient(name, weight, gradient, null);
    }
  }

  private Table tableOf(int side) {
    return tables[tableIndex(side)];
  }

  /** The index in {@link #tables} of the table side {@code side} reads. */
  private int tableIndex(int side) {
    return block.tiedTokenEmbedding() ? 0 : side;
  }

  private boolean isTable(Parameter parameter) {
    for (Table table : tables) {
      if (table.embedding().table() == parameter) {
        return true;
      }
    }
    return false;
  }

  private static String nameOf(PairList<String, Parameter> all, Parameter parameter) {
    for (Pair<String, Parameter> entry : all) {
      if (entry.getValue() == parameter) {
        return entry.getKey();
      }
    }
    throw new IllegalStateException("token table is not a parameter of the block");
  }
}
