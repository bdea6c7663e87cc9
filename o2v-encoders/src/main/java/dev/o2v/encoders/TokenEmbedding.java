package dev.o2v.encoders;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.NormalInitializer;
import dev.o2v.core.io.BulkDataOutput;
import dev.o2v.encoders.io.ArraySlices;
import ai.djl.util.PairList;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Locale;

/**
 * A token embedding table {@code [vocabSize, embeddingDim]} that maps ids to vectors.
 *
 * <p>Input {@code NDList(ids [B, T] int32)}, output {@code NDList(vectors [B, T, D] float32)}. The
 * lookup is the engine's dense embedding op, differentiable with respect to the table. The table is
 * exposed ({@link #table()}) so a lazy row-sparse trainer can gather rows itself and feed
 * already-embedded vectors to {@link Object2VecBlock#forwardEmbedded}.
 *
 * <p>Rows may be marked frozen (pretrained rows with {@code encX_freeze_pretrained_embedding}); the
 * trainer keeps them out of the update, weight decay included: a dense trainer masks the table's
 * update with {@link #cachedTrainableRowMask}, a row-sparse one leaves their ids out. The frozen
 * set is saved with the parameters.
 *
 * <p>Initialisation: N(0, 1/sqrt(D)) per element, so a random token vector has expected squared
 * norm 1 whatever D is. Unit-variance elements would give vectors of norm sqrt(D); with enc_dim
 * 1024 their hadamard products and sums push a tanh MLP into saturation at the first step. The
 * training module redraws the tables of bilstm and narrow pooled_embedding networks N(0, 1)
 * afterwards ({@code LayerDefaultInitialisation}), where that measured better.
 */
public final class TokenEmbedding extends AbstractBlock {

  /** Saved format: raw row chunks. */
  private static final byte VERSION = 2;

  /** Earlier saved format, still read: engine-encoded row chunks. */
  private static final byte VERSION_ENCODED_CHUNKS = 1;

  /**
   * Bytes per chunk when saving. Loading reads a chunk at a time through one buffer of this size,
   * so it bounds the extra memory of a load.
   */
  private static final long SAVE_CHUNK_BYTES = 64L << 20;

  /** Largest chunk a load accepts (1 GiB), far below the 2 GiB limit of a Java buffer. */
  private static final long MAX_CHUNK_BYTES = 1L << 30;

  /**
   * An initializer that allocates a table without filling it, for tables whose every row is
   * loaded right after: filling a multi-GB table with random numbers first costs seconds. The
   * values stay undefined until loaded.
   */
  public static final Initializer UNFILLED = (manager, shape, dataType) ->
      manager.create(shape, dataType);

  private final int vocabSize;
  private final int embeddingDim;
  private final Parameter table;
  private final BitSet frozen = new BitSet();
  private NDArray cachedMask;

  /** Bytes per saved chunk; only tests lower it, to exercise several chunks on a tiny table. */
  long saveChunkBytes = SAVE_CHUNK_BYTES;

  private TokenEmbedding(Builder builder) {
    super(VERSION);
    this.vocabSize = builder.vocabSize;
    this.embeddingDim = builder.embeddingDim;
    this.table =
        addParameter(
            Parameter.builder()
                .setName("table")
                .setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(vocabSize, embeddingDim))
                .optInitializer(new NormalInitializer((float) (1.0 / Math.sqrt(embeddingDim))))
                .build());
  }

  /** A builder with no defaults: vocab size and dim are required. */
  public static Builder builder() {
    return new Builder();
  }

  /** Number of rows; ids must lie in {@code [0, vocabSize)}. */
  public int vocabSize() {
    return vocabSize;
  }

  /** Width D of each row. */
  public int embeddingDim() {
    return embeddingDim;
  }

  /** The table parameter {@code [vocabSize, embeddingDim]}, for trainers and tying. */
  public Parameter table() {
    return table;
  }

  /**
   * Looks ids up in a table array: the same op as the block's forward, for trainers that gather
   * rows into a small leaf array and remap the ids.
   *
   * @param weights {@code [V, D]} rows
   * @param ids {@code [B, T]} int32 or int64 indices into {@code weights}
   * @return {@code [B, T, D]}, differentiable with respect to {@code weights}
   */
  public static NDArray gather(NDArray weights, NDArray ids) {
    return ids.getNDArrayInternal().embedding(ids, weights, SparseFormat.DENSE).singletonOrThrow();
  }

  /**
   * Looks ids up in the table.
   *
   * @param ids {@code [B, T]} int32 or int64 token ids
   * @return {@code [B, T, D]} float32, attached to the ids' manager
   */
  public NDArray lookup(ParameterStore parameterStore, NDArray ids, boolean training) {
    return gather(parameterStore.getValue(table, ids.getDevice(), training), ids);
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore parameterStore,
      NDList inputs,
      boolean training,
      PairList<String, Object> params) {
    return new NDList(lookup(parameterStore, inputs.head(), training));
  }

  /** {@inheritDoc} Output shape is the input shape with D appended. */
  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0].add(embeddingDim)};
  }

  /**
   * Overwrites rows of the (initialised) table in place. Call it outside a gradient collector, on a
   * thread where the engine's grad mode is off (as for any in-place parameter update).
   *
   * @param rowIds the rows to write, each in {@code [0, vocabSize)}
   * @param values {@code rowIds.length * embeddingDim} floats, row after row
   */
  public void setRows(int[] rowIds, float[] values) {
    if (values.length != (long) rowIds.length * embeddingDim) {
      throw new IllegalArgumentException(
          String.format(
              Locale.ROOT,
              "values must hold %d rows of %d floats, found %d floats",
              rowIds.length,
              embeddingDim,
              values.length));
    }
    for (int id : rowIds) {
      checkRow(id);
    }
    if (rowIds.length == 0) {
      return;
    }
    NDArray weight = initializedTable();
    NDManager manager = weight.getManager();
    try (NDManager scope = manager.newSubManager(weight.getDevice())) {
      NDArray index = scope.create(rowIds);
      NDArray rows = scope.create(values, new Shape(rowIds.length, embeddingDim));
      weight.set(new NDIndex("{}", index), rows);
    }
  }

  /** Marks rows as frozen: their gradient is zeroed by {@link #applyFreeze}. */
  public void freezeRows(int[] rowIds) {
    for (int id : rowIds) {
      checkRow(id);
      frozen.set(id);
    }
    invalidateMask();
  }

  /** Number of frozen rows. */
  public int frozenRowCount() {
    return frozen.cardinality();
  }

  /** Whether row {@code id} is frozen. */
  public boolean isFrozen(int id) {
    checkRow(id);
    return frozen.get(id);
  }

  /** The frozen rows in increasing order. */
  public int[] frozenRows() {
    return frozen.stream().toArray();
  }

  /**
   * The mask of trainable rows: {@code [vocabSize, 1]} float32, 1 for rows that learn and 0 for
   * frozen rows; multiply it into the table gradient before the optimizer step.
   */
  public NDArray trainableRowMask(NDManager manager) {
    float[] mask = new float[vocabSize];
    Arrays.fill(mask, 1f);
    frozen.stream().forEach(id -> mask[id] = 0f);
    return manager.create(mask, new Shape(vocabSize, 1));
  }

  /**
   * The mask of trainable rows ({@link #trainableRowMask}) on {@code device}, built once per device
   * and kept with the table: callers must not close it. For optimizers that mask a dense table
   * update after adding weight decay.
   */
  public NDArray cachedTrainableRowMask(Device device) {
    if (cachedMask == null || !cachedMask.getDevice().equals(device)) {
      invalidateMask();
      // Kept with the table, whose manager lives as long as the parameter does.
      NDArray mask = trainableRowMask(initializedTable().getManager());
      cachedMask = mask.toDevice(device, false);
      if (cachedMask != mask) {
        mask.close();
      }
    }
    return cachedMask;
  }

  /**
   * Zeroes, in place, the frozen rows of a full table gradient {@code [vocabSize, D]}. A no-op when
   * nothing is frozen. An optimizer that adds weight decay afterwards still moves those rows; a
   * dense trainer therefore hands {@link #cachedTrainableRowMask} to the optimizer instead.
   */
  public void applyFreeze(NDArray tableGradient) {
    if (frozen.isEmpty()) {
      return;
    }
    tableGradient.muli(cachedTrainableRowMask(tableGradient.getDevice()));
  }

  /**
   * Zeroes, in place, the frozen rows of a gathered gradient {@code [K, D]} whose rows are table
   * rows {@code rowIds [K]} (int32 or int64), for lazy row-sparse updates.
   */
  public void applyFreeze(NDArray rowGradient, NDArray rowIds) {
    if (frozen.isEmpty()) {
      return;
    }
    long[] ids = rowIds.toType(DataType.INT64, false).toLongArray();
    float[] mask = new float[ids.length];
    for (int i = 0; i < ids.length; i++) {
      mask[i] = frozen.get(Math.toIntExact(ids[i])) ? 0f : 1f;
    }
    try (NDManager scope = rowGradient.getManager().newSubManager(rowGradient.getDevice())) {
      rowGradient.muli(scope.create(mask, new Shape(ids.length, 1)));
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>Format version 2: the metadata, int chunk count, then per chunk int rows and the rows'
   * float32 values, little-endian and row-major, laid out by {@link ArraySlices} (after alignment
   * padding). The bytes come from the table's native memory in row ranges, so a table of any size
   * is written without a copy on the Java heap when {@code os} is a {@link BulkDataOutput} over a
   * file, and past the page cache where the file system allows.
   */
  @Override
  public void saveParameters(DataOutputStream os) throws IOException {
    os.write(version);
    saveMetadata(os);
    NDArray weight = initializedTable();
    long rowsPerChunk = rowsPerChunk();
    int chunks = (int) ((vocabSize + rowsPerChunk - 1) / rowsPerChunk);
    os.writeInt(chunks);
    for (long start = 0; start < vocabSize; start += rowsPerChunk) {
      long end = Math.min(vocabSize, start + rowsPerChunk);
      os.writeInt((int) (end - start));
      ArraySlices.write(os, weight, start, end);
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>Reads format version 2 and the earlier version 1 (engine-encoded chunks). The table is
   * allocated here when it is not initialised yet; a table that is about to be loaded need not be
   * filled first (see {@link #UNFILLED}).
   */
  @Override
  public void loadParameters(NDManager manager, DataInputStream is)
      throws IOException, MalformedModelException {
    byte loadVersion = is.readByte();
    loadMetadata(loadVersion, is);
    if (!table.isInitialized()) {
      table.initialize(manager, DataType.FLOAT32);
    }
    NDArray weight = table.getArray();
    long rows =
        loadVersion == VERSION_ENCODED_CHUNKS
            ? loadEncodedChunks(manager, is, weight)
            : loadRawChunks(is, weight);
    if (rows != vocabSize) {
      throw new MalformedModelException(
          "token table holds " + rows + " rows, expected " + vocabSize);
    }
  }

  private long loadRawChunks(DataInputStream is, NDArray weight)
      throws IOException, MalformedModelException {
    int chunks = is.readInt();
    long maxRows = Math.max(1, MAX_CHUNK_BYTES / (4L * embeddingDim));
    long row = 0;
    try (ArraySlices.Reader reader = new ArraySlices.Reader()) {
      for (int c = 0; c < chunks; c++) {
        int rows = is.readInt();
        if (rows < 1 || rows > maxRows || row + rows > vocabSize) {
          throw new MalformedModelException(
              String.format(
                  Locale.ROOT,
                  "token table chunk %d holds %d rows; after row %d a chunk of 1..%d rows fits"
                      + " table %s",
                  c,
                  rows,
                  row,
                  Math.min(maxRows, vocabSize - row),
                  table.getShape()));
        }
        reader.readInto(is, weight, row, row + rows);
        row += rows;
      }
    }
    return row;
  }

  /** Format version 1: int chunk count, then per chunk int length and an encoded array. */
  private long loadEncodedChunks(NDManager manager, DataInputStream is, NDArray weight)
      throws IOException, MalformedModelException {
    int chunks = is.readInt();
    long row = 0;
    for (int c = 0; c < chunks; c++) {
      byte[] bytes = new byte[is.readInt()];
      is.readFully(bytes);
      try (NDArray chunk = manager.decode(bytes)) {
        long rows = chunk.getShape().get(0);
        if (chunk.getShape().dimension() != 2
            || chunk.getShape().get(1) != embeddingDim
            || row + rows > vocabSize) {
          throw new MalformedModelException(
              "token table chunk " + chunk.getShape() + " does not fit table " + table.getShape());
        }
        weight.set(new NDIndex("{}:{}", row, row + rows), chunk);
        row += rows;
      }
    }
    return row;
  }

  private long rowsPerChunk() {
    return Math.max(1, Math.min(saveChunkBytes, MAX_CHUNK_BYTES) / (4L * embeddingDim));
  }

  @Override
  protected void saveMetadata(DataOutputStream os) throws IOException {
    saveInputShapes(os);
    os.writeInt(vocabSize);
    os.writeInt(embeddingDim);
    int[] rows = frozenRows();
    os.writeInt(rows.length);
    for (int id : rows) {
      os.writeInt(id);
    }
  }

  @Override
  protected void loadMetadata(byte loadVersion, DataInputStream is)
      throws IOException, MalformedModelException {
    if (loadVersion != VERSION && loadVersion != VERSION_ENCODED_CHUNKS) {
      throw new MalformedModelException(
          String.format(
              Locale.ROOT,
              "unsupported TokenEmbedding format version %d, expected %d or %d",
              loadVersion,
              VERSION_ENCODED_CHUNKS,
              VERSION));
    }
    readInputShapes(is);
    int savedVocab = is.readInt();
    int savedDim = is.readInt();
    if (savedVocab != vocabSize || savedDim != embeddingDim) {
      throw new MalformedModelException(
          String.format(
              Locale.ROOT,
              "saved token table is %dx%d, this model expects %dx%d",
              savedVocab,
              savedDim,
              vocabSize,
              embeddingDim));
    }
    frozen.clear();
    int count = is.readInt();
    for (int i = 0; i < count; i++) {
      frozen.set(is.readInt());
    }
    invalidateMask();
  }

  private NDArray initializedTable() {
    if (!table.isInitialized()) {
      throw new IllegalStateException("token table is not initialised yet");
    }
    return table.getArray();
  }

  private void invalidateMask() {
    if (cachedMask != null) {
      cachedMask.close();
      cachedMask = null;
    }
  }

  private void checkRow(int id) {
    if (id < 0 || id >= vocabSize) {
      throw new IllegalArgumentException(
          String.format(Locale.ROOT, "row id must be in [0, %d), found %d", vocabSize, id));
    }
  }

  /** Builds a {@link TokenEmbedding}; both sizes are required. */
  public static final class Builder {
    private int vocabSize;
    private int embeddingDim;

    private Builder() {}

    /** Number of rows (token ids), at least 1. */
    public Builder setVocabSize(int vocabSize) {
      this.vocabSize = vocabSize;
      return this;
    }

    /** Width of each row, at least 1. */
    public Builder setEmbeddingDim(int embeddingDim) {
      this.embeddingDim = embeddingDim;
      return this;
    }

    /** Checks the sizes and builds the block. */
    public TokenEmbedding build() {
      if (vocabSize < 1) {
        throw new IllegalArgumentException("vocab size must be >= 1, found " + vocabSize);
      }
      if (embeddingDim < 1) {
        throw new IllegalArgumentException("embedding dim must be >= 1, found " + embeddingDim);
      }
      return new TokenEmbedding(this);
    }
  }
}
