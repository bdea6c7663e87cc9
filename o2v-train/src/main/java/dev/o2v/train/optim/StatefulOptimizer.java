package dev.o2v.train.optim;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import dev.o2v.train.runtime.NoGradScope;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import dev.o2v.core.hp.OptimizerKind;
import dev.o2v.train.io.ChunkedArrayIO;
import dev.o2v.train.io.NonZeroRowsArrayIO;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.BiFunction;

/**
 * Shared machinery of our optimizers: gradient lookup and zeroing, grad-mode handling, lazily
 * created per-parameter state, update counters, row gathering for lazy updates and the state file.
 *
 * <p>State file, version 2: int magic {@code "O2VS"}, int version, UTF optimizer key, int n, n ×
 * (UTF name, long update count), int m, m × (UTF name, int slots, slots × {@link
 * NonZeroRowsArrayIO} array). Entries are sorted by name so equal state gives equal bytes. The
 * state arrays leave out their rows of zeros: the moments of table rows that no batch has read.
 * Version 1 held each array whole ({@link ChunkedArrayIO}); it is still read.
 */
abstract class StatefulOptimizer implements TrainingOptimizer {

  /** Version of the state file written by {@link #saveState}. */
  static final int STATE_VERSION = 2;

  /** The earlier state file, still read: every array whole. */
  static final int STATE_VERSION_WHOLE_ARRAYS = 1;

  private static final int STATE_MAGIC = 0x4F325653; // "O2VS"

  private final OptimizerKind kind;
  private final double learningRate;
  private final double weightDecay;
  private final Map<String, Long> counts = new HashMap<>();
  private final Map<String, NDArray[]> states = new HashMap<>();
  private final Map<WorkKey, NDArray> workBuffers = new HashMap<>();
  /** Tables whose rows' updates are put off ({@link #deferRowGradient}), by name. */
  private final Map<String, DeferredRowDecay> deferred = new HashMap<>();
  private NDManager stateManager;
  private ScalarConstants scalars;

  StatefulOptimizer(OptimizerKind kind, double learningRate, double weightDecay) {
    if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
      throw new IllegalArgumentException(
          String.format(Locale.ROOT, "learning_rate must be a finite number > 0, found %s",
              learningRate));
    }
    if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
      throw new IllegalArgumentException(
          String.format(Locale.ROOT, "weight_decay must be a finite number >= 0, found %s",
              weightDecay));
    }
    this.kind = kind;
    this.learningRate = learningRate;
    this.weightDecay = weightDecay;
  }

  /** Number of state arrays per parameter, each shaped like the parameter. */
  abstract int stateSlots();

  /**
   * Applies one update in place. Grad mode is off.
   *
   * @param weight any shape, updated in place
   * @param grad same shape; may be used as scratch if {@link #mutatesGradient} says so
   * @param state {@link #stateSlots()} arrays shaped like {@code weight}, updated in place
   * @param t 1-based count of updates of this parameter, this one included
   * @param decay the L2 weight decay to add to the gradient: {@link #wd()}, or 0 when the caller
   *     has added it already
   */
  abstract void applyUpdate(NDArray weight, NDArray grad, NDArray[] state, long t, float decay);

  /** Whether {@link #applyUpdate} overwrites {@code grad} when given it as its gradient. */
  abstract boolean mutatesGradient(NDArray grad);

  @Override
  public final OptimizerKind kind() {
    return kind;
  }

  @Override
  public final double learningRate() {
    return learningRate;
  }

  @Override
  public final double weightDecay() {
    return weightDecay;
  }

  final float lr() {
    return (float) learningRate;
  }

  final float wd() {
    return (float) weightDecay;
  }

  /** A cached 0-d tensor holding {@code value} on the device of {@code like}. */
  final NDArray scalar(NDArray like, float value) {
    return scalars.of(like, value);
  }

  /**
   * Scratch memory shaped like {@code like}: a view of one buffer per data type and device, grown
   * to the largest request, so that a large update keeps its intermediates in memory it has
   * already touched, and updates of row copies of varying counts share it instead of keeping an
   * array per count. Its contents are undefined on entry; the caller closes the view (the buffer
   * stays). It is not part of the saved state.
   */
  final NDArray workArrayLike(NDArray like) {
    WorkKey key = new WorkKey(like.getDataType(), like.getDevice());
    long size = like.size();
    NDArray buffer = workBuffers.get(key);
    if (buffer == null || buffer.size() < size) {
      if (buffer != null) {
        buffer.close();
      }
      buffer = stateManager.zeros(new Shape(size), like.getDataType(), like.getDevice());
      workBuffers.put(key, buffer);
    }
    try (NDArray prefix = buffer.get(new NDIndex("0:{}", size))) {
      return prefix.reshape(like.getShape());
    }
  }

  /** Identifies the work buffer that updates of one data type and device share. */
  private record WorkKey(DataType dataType, Device device) {}

  /** {@code grad ← grad + decay·weight} in place; nothing when {@code decay} is 0. */
  final void addWeightDecay(NDArray weight, NDArray grad, float decay) {
    if (decay == 0) {
      return;
    }
    try (NDArray decayTerm = weight.mul(scalar(weight, decay))) {
      grad.addi(decayTerm);
    }
  }

  @Override
  public void step(PairList<String, Parameter> params) {
    try (NoGradScope ignored = NoGradScope.enter()) {
      for (Pair<String, Parameter> entry : params) {
        updateFromGradient(entry.getKey(), entry.getValue().getArray(), null);
      }
    }
  }

  @Override
  public boolean update(String paramId, NDArray weight) {
    try (NoGradScope ignored = NoGradScope.enter()) {
      return updateFromGradient(paramId, weight, null);
    }
  }

  @Override
  public boolean update(String paramId, NDArray weight, NDArray rowMask) {
    try (NoGradScope ignored = NoGradScope.enter()) {
      return updateFromGradient(paramId, weight, rowMask);
    }
  }

  private boolean updateFromGradient(String paramId, NDArray weight, NDArray rowMask) {
    PtNDArray w = asPyTorch(weight, paramId);
    PtNDArray grad = JniUtils.getGradient(w); // null when the weight has no gradient
    if (grad == null) {
      return false;
    }
    try (grad) {
      consume(paramId, w, grad, rowMask);
      JniUtils.zeroGrad(w);
    }
    return true;
  }

  @Override
  public void applyGradient(String paramId, NDArray weight, NDArray gradient, NDArray rowMask) {
    PtNDArray w = asPyTorch(weight, paramId);
    checkGradientShape(paramId, w, gradient);
    try (NoGradScope ignored = NoGradScope.enter()) {
      consume(paramId, w, asPyTorch(gradient, paramId), rowMask);
    }
  }

  /** One dense update of {@code w} from {@code grad}, which it may overwrite. Grad mode is off. */
  private void consume(String paramId, PtNDArray w, PtNDArray grad, NDArray rowMask) {
    settleDeferred(paramId);
    NDArray[] state = stateFor(paramId, w);
    long t = counts.merge(paramId, 1L, Long::sum);
    if (rowMask == null) {
      applyUpdate(w, grad, state, t, wd());
    } else {
      // Decay first, then the mask: masked rows see a zero gradient, decay included.
      addWeightDecay(w, grad, wd());
      grad.muli(rowMask);
      applyUpdate(w, grad, state, t, 0f);
    }
  }

  /**
   * Whether {@link #applyZeroGradient} can update {@code weight} as a zero gradient would, more
   * cheaply than a zero array through {@link #applyUpdate}. False unless an optimizer says so.
   */
  boolean hasZeroGradientUpdate(NDArray weight) {
    return false;
  }

  /**
   * {@link #applyUpdate} with a zero gradient and no weight decay, without the gradient: the
   * state decays and the weight moves by what the state alone implies. Only called when {@link
   * #hasZeroGradientUpdate} is true.
   */
  void applyZeroGradient(NDArray weight, NDArray[] state, long t) {
    throw new UnsupportedOperationException(kind.key() + " has no zero-gradient update");
  }

  @Override
  public void applyRowGradient(
      String paramId, NDArray table, NDArray rowIds, NDArray rowGrads, NDArray rowMask) {
    PtNDArray w = asPyTorch(table, paramId);
    checkRowArguments(paramId, table, rowIds, rowGrads);
    NDIndex rows = new NDIndex("{}", rowIds);
    try (NoGradScope ignored = NoGradScope.enter()) {
      if (rowMask != null || wd() != 0 || !hasZeroGradientUpdate(table)) {
        // The gradient written out; the rows are distinct, so putting them is adding them.
        try (PtNDArray dense = (PtNDArray) table.zerosLike()) {
          if (rowIds.getShape().get(0) > 0) {
            dense.set(rows, rowGrads);
          }
          consume(paramId, w, dense, rowMask);
        }
        return;
      }
      settleDeferred(paramId);
      NDArray[] state = stateFor(paramId, table);
      long t = counts.merge(paramId, 1L, Long::sum);
      RowUpdate everyRow = everyRowUpdate(table, state, rowIds.toLongArray(), rowGrads, t);
      if (everyRow != null) {
        everyRow.applyAll();
        return;
      }
      if (rowIds.getShape().get(0) == 0) {
        applyZeroGradient(table, state, t);
        return;
      }
      // The listed rows take the full update on copies, every row the zero-gradient update, and
      // then the copies replace the listed rows.
      updateRowCopies(
          table, state, rows, rowGrads, t, 0f, () -> applyZeroGradient(table, state, t));
    }
  }

  @Override
  public boolean deferRowGradient(
      String paramId, NDArray table, NDArray rowIds, NDArray rowGrads) {
    checkRowArguments(paramId, table, rowIds, rowGrads);
    if (wd() != 0) {
      return false;
    }
    try (NoGradScope ignored = NoGradScope.enter()) {
      NDArray[] state = stateFor(paramId, table);
      DeferredRowDecay ledger = deferred.get(paramId);
      if (ledger == null || !ledger.covers(table, state)) {
        settleDeferred(paramId);
        ledger = deferredDecay(table, state, rowGrads, updateCount(paramId));
        if (ledger == null) {
          return false;
        }
        deferred.put(paramId, ledger);
      }
      long t = counts.merge(paramId, 1L, Long::sum);
      ledger.update(rowIds.toLongArray(), rowGrads, t);
      return true;
    }
  }

  @Override
  public void settleRows(String paramId, long[] rows) {
    DeferredRowDecay ledger = deferred.get(paramId);
    if (ledger != null) {
      ledger.settle(rows);
    }
  }

  @Override
  public void settle() {
    for (DeferredRowDecay ledger : deferred.values()) {
      ledger.settleAll();
    }
  }

  /** Brings the named table up to date before an update that does not put anything off. */
  private void settleDeferred(String paramId) {
    DeferredRowDecay ledger = deferred.remove(paramId);
    if (ledger != null) {
      ledger.settleAll();
    }
  }

  /**
   * A ledger that puts off the zero-gradient updates of {@code table}'s rows, up to date after
   * {@code updates} updates, if this optimizer can do that for these arrays without weight decay;
   * null otherwise. Null unless an optimizer says so.
   */
  DeferredRowDecay deferredDecay(NDArray table, NDArray[] state, NDArray rowGrads, long updates) {
    return null;
  }

  private void checkNothingPutOff(String action) {
    for (Map.Entry<String, DeferredRowDecay> entry : new TreeMap<>(deferred).entrySet()) {
      if (entry.getValue().isBehind()) {
        throw new IllegalStateException(
            String.format(Locale.ROOT,
                "cannot %s: updates of '%s' are still put off; settle them first",
                action, entry.getKey()));
      }
    }
  }

  /**
   * Gathers {@code rows} of the table and its state, applies the update to the copies, runs
   * {@code beforeWriteBack}, and writes the copies back into the table and state.
   */
  private void updateRowCopies(NDArray table, NDArray[] state, NDIndex rows, NDArray rowGrads,
      long t, float decay, Runnable beforeWriteBack) {
    List<NDArray> gathered = new ArrayList<>(state.length + 2);
    try {
      NDArray weightRows = table.get(rows);
      gathered.add(weightRows);
      NDArray[] stateRows = new NDArray[state.length];
      for (int i = 0; i < state.length; i++) {
        stateRows[i] = state[i].get(rows);
        gathered.add(stateRows[i]);
      }
      NDArray grad = rowGrads;
      if (mutatesGradient(rowGrads)) {
        grad = rowGrads.duplicate();
        gathered.add(grad);
      }
      applyUpdate(weightRows, grad, stateRows, t, decay);
      beforeWriteBack.run();
      table.set(rows, weightRows);
      for (int i = 0; i < state.length; i++) {
        state[i].set(rows, stateRows[i]);
      }
    } finally {
      gathered.forEach(NDArray::close);
    }
  }

  @Override
  public void updateRows(String paramId, NDArray table, NDArray rowIds, NDArray rowGrads) {
    if (!kind.supportsRowSparse()) {
      throw new UnsupportedOperationException(
          String.format(Locale.ROOT,
              "optimizer '%s' has no lazy row-sparse update; row_sparse embeddings need adam,"
                  + " adagrad or sgd", kind.key()));
    }
    checkRowArguments(paramId, table, rowIds, rowGrads);
    if (rowIds.getShape().get(0) == 0) {
      return;
    }
    try (NoGradScope ignored = NoGradScope.enter()) {
      settleDeferred(paramId);
      NDArray[] state = stateFor(paramId, table);
      long t = counts.merge(paramId, 1L, Long::sum);
      RowUpdate inPlace = listedRowsUpdate(table, state, rowIds.toLongArray(), rowGrads, t, wd());
      if (inPlace != null) {
        inPlace.applyAll();
      } else {
        updateRowCopies(table, state, new NDIndex("{}", rowIds), rowGrads, t, wd(), () -> { });
      }
    }
  }

  @Override
  public Optional<RowUpdate> prepareRowUpdate(
      String paramId, NDArray table, NDArray rowIds, NDArray rowGrads) {
    checkRowArguments(paramId, table, rowIds, rowGrads);
    if (!kind.supportsRowSparse() || rowIds.getShape().get(0) == 0) {
      return Optional.empty();
    }
    return prepared(paramId, table,
        (state, t) -> listedRowsUpdate(table, state, rowIds.toLongArray(), rowGrads, t, wd()));
  }

  /**
   * The update {@code make} gives from the weight's state and the count it would have, counted
   * if there is one (grad mode off): the split form of an update for the ones that hold it.
   */
  private <U> Optional<U> prepared(
      String paramId, NDArray weight, BiFunction<NDArray[], Long, U> make) {
    try (NoGradScope ignored = NoGradScope.enter()) {
      settleDeferred(paramId);
      NDArray[] state = stateFor(paramId, weight);
      long t = counts.getOrDefault(paramId, 0L) + 1;
      U update = make.apply(state, t);
      if (update == null) {
        return Optional.empty();
      }
      counts.put(paramId, t);
      return Optional.of(update);
    }
  }

  /**
   * The lazy update of the listed (distinct) rows as a {@link RowUpdate} that runs in the
   * table's and state's own memory on any thread, with the result {@link #applyUpdate} gives on
   * row copies, if this optimizer can do that for these arrays; null otherwise. Null unless an
   * optimizer says so.
   */
  RowUpdate listedRowsUpdate(
      NDArray table, NDArray[] state, long[] rows, NDArray rowGrads, long t, float decay) {
    return null;
  }

  @Override
  public Optional<RowUpdate> prepareRowGradientUpdate(
      String paramId, NDArray table, NDArray rowIds, NDArray rowGrads) {
    checkRowArguments(paramId, table, rowIds, rowGrads);
    if (wd() != 0 || !hasZeroGradientUpdate(table)) {
      return Optional.empty();
    }
    return prepared(paramId, table,
        (state, t) -> everyRowUpdate(table, state, rowIds.toLongArray(), rowGrads, t));
  }

  @Override
  public Optional<WeightUpdate> prepareGradientUpdate(
      String paramId, NDArray weight, NDArray gradient) {
    checkGradientShape(paramId, weight, gradient);
    return prepared(paramId, weight, (state, t) -> wholeUpdate(weight, gradient, state, t, wd()));
  }

  /**
   * The dense update of a table whose gradient is {@code rowGrads} on the listed (distinct) rows
   * and zero elsewhere, as a {@link RowUpdate} over every row that runs in the table's and state's
   * own memory on any thread, if this optimizer can do that for these arrays with the result of
   * {@link #applyZeroGradient} and row copies; null otherwise. Only called without weight decay
   * and row mask. Null unless an optimizer says so.
   */
  RowUpdate everyRowUpdate(
      NDArray table, NDArray[] state, long[] rows, NDArray rowGrads, long t) {
    return null;
  }

  /**
   * The dense update of a whole weight from its gradient as a {@link WeightUpdate} that runs in
   * the weight's and state's own memory on any thread, with the result of {@link #applyUpdate},
   * if this optimizer can do that for these arrays; null otherwise. Null unless an optimizer says
   * so.
   */
  WeightUpdate wholeUpdate(NDArray weight, NDArray grad, NDArray[] state, long t, float decay) {
    return null;
  }

  private static void checkGradientShape(String paramId, NDArray weight, NDArray gradient) {
    if (!gradient.getShape().equals(weight.getShape())) {
      throw new IllegalArgumentException(
          String.format(Locale.ROOT,
              "gradient of '%s' must have the weight's shape %s, found %s",
              paramId, weight.getShape(), gradient.getShape()));
    }
  }

  private static void checkRowArguments(
      String paramId, NDArray table, NDArray rowIds, NDArray rowGrads) {
    Shape tableShape = table.getShape();
    Shape idShape = rowIds.getShape();
    Shape gradShape = rowGrads.getShape();
    if (tableShape.dimension() != 2
        || idShape.dimension() != 1
        || rowIds.getDataType() != DataType.INT64
        || !gradShape.equals(new Shape(idShape.get(0), tableShape.get(1)))) {
      throw new IllegalArgumentException(
          String.format(Locale.ROOT,
              "row update of '%s' needs table [V, D], int64 row ids [U] and row gradients [U, D],"
                  + " found table %s, ids %s %s, gradients %s",
              paramId, tableShape, idShape, rowIds.getDataType(), gradShape));
    }
  }

  @Override
  public void prepareState(String paramId, NDArray weight) {
    try (NoGradScope ignored = NoGradScope.enter()) {
      stateFor(paramId, weight);
    }
  }

  @Override
  public long updateCount(String paramId) {
    return counts.getOrDefault(paramId, 0L);
  }

  private NDArray[] stateFor(String paramId, NDArray weight) {
    NDArray[] state = states.get(paramId);
    if (state == null) {
      ensureStateManager(weight.getManager());
      state = new NDArray[stateSlots()];
      for (int i = 0; i < state.length; i++) {
        state[i] = stateManager.zeros(weight.getShape(), weight.getDataType(), weight.getDevice());
      }
      states.put(paramId, state);
    } else if (state.length > 0 && !state[0].getShape().equals(weight.getShape())) {
      throw new IllegalStateException(
          String.format(Locale.ROOT,
              "optimizer state of '%s' has shape %s but the parameter has shape %s",
              paramId, state[0].getShape(), weight.getShape()));
    }
    return state;
  }

  void ensureStateManager(NDManager parent) {
    if (stateManager == null) {
      stateManager = parent.newSubManager();
      scalars = new ScalarConstants(stateManager);
    }
  }

  static PtNDArray asPyTorch(NDArray array, String paramId) {
    if (array instanceof PtNDArray) {
      return (PtNDArray) array;
    }
    throw new IllegalArgumentException(
        String.format(Locale.ROOT,
            "parameter '%s' lives on engine %s; these optimizers need the PyTorch engine",
            paramId, array.getManager().getEngine().getEngineName()));
  }

  @Override
  public void saveState(DataOutputStream out) throws IOException {
    checkNothingPutOff("save the optimizer state");
    out.writeInt(STATE_MAGIC);
    out.writeInt(STATE_VERSION);
    out.writeUTF(kind.key());
    Map<String, Long> sortedCounts = new TreeMap<>(counts);
    out.writeInt(sortedCounts.size());
    for (Map.Entry<String, Long> entry : sortedCounts.entrySet()) {
      out.writeUTF(entry.getKey());
      out.writeLong(entry.getValue());
    }
    Map<String, NDArray[]> sortedStates = new TreeMap<>(states);
    out.writeInt(sortedStates.size());
    for (Map.Entry<String, NDArray[]> entry : sortedStates.entrySet()) {
      out.writeUTF(entry.getKey());
      out.writeInt(entry.getValue().length);
      for (NDArray array : entry.getValue()) {
        NonZeroRowsArrayIO.write(out, array);
      }
    }
  }

  @Override
  public void loadState(DataInputStream in, NDManager manager) throws IOException {
    checkNothingPutOff("load optimizer state");
    int magic = in.readInt();
    if (magic != STATE_MAGIC) {
      throw new IOException(
          String.format(Locale.ROOT, "not an optimizer state stream: magic 0x%08X", magic));
    }
    int version = in.readInt();
    if (version != STATE_VERSION && version != STATE_VERSION_WHOLE_ARRAYS) {
      throw new IOException(
          String.format(Locale.ROOT,
              "optimizer state format version %d is not supported (this build reads %d and %d)",
              version, STATE_VERSION_WHOLE_ARRAYS, STATE_VERSION));
    }
    String key = in.readUTF();
    if (!key.equals(kind.key())) {
      throw new IOException(
          String.format(Locale.ROOT,
              "optimizer state was written by '%s' and cannot be loaded into '%s'",
              key, kind.key()));
    }
    Map<String, Long> loadedCounts = new HashMap<>();
    int countEntries = in.readInt();
    for (int i = 0; i < countEntries; i++) {
      loadedCounts.put(in.readUTF(), in.readLong());
    }
    NDManager loadedManager = manager.newSubManager();
    try {
      Map<String, NDArray[]> loadedStates = readStates(in, loadedManager, version);
      close();
      stateManager = loadedManager;
      scalars = new ScalarConstants(stateManager);
      counts.putAll(loadedCounts);
      states.putAll(loadedStates);
    } catch (IOException | RuntimeException e) {
      loadedManager.close();
      throw e;
    }
  }

  private Map<String, NDArray[]> readStates(DataInputStream in, NDManager manager, int version)
      throws IOException {
    Map<String, NDArray[]> loaded = new HashMap<>();
    int entries = in.readInt();
    for (int i = 0; i < entries; i++) {
      String name = in.readUTF();
      int slots = in.readInt();
      if (slots != stateSlots()) {
        throw new IOException(
            String.format(Locale.ROOT,
                "optimizer state of '%s' has %d arrays, '%s' keeps %d",
                name, slots, kind.key(), stateSlots()));
      }
      NDArray[] state = new NDArray[slots];
      for (int s = 0; s < slots; s++) {
        state[s] = version == STATE_VERSION_WHOLE_ARRAYS
            ? ChunkedArrayIO.read(in, manager)
            : NonZeroRowsArrayIO.read(in, manager);
      }
      loaded.put(name, state);
    }
    return loaded;
  }

  @Override
  public void close() {
    counts.clear();
    states.clear();
    deferred.clear();
    workBuffers.clear();
    if (stateManager != null) {
      stateManager.close();
      stateManager = null;
      scalars = null;
    }
  }
}
