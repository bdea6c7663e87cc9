package dev.o2v.inference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.o2v.core.data.ZeroIdRule;
import dev.o2v.core.hp.Hyperparameters;
import dev.o2v.core.hp.OutputLayer;
import dev.o2v.encoders.Object2VecBlock;
import dev.o2v.inference.InferenceInstance;
import dev.o2v.train.HostTensors;
import dev.o2v.train.model.TrainedModel;
import dev.o2v.train.runtime.NoGradScope;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Answers batches of {@link InferenceInstance}s with a loaded model: scores for pairs, embeddings
 * for single sides, in one call even when a batch mixes both.
 *
 * <p>Thread-safe: any number of threads may call {@link #infer} at once. Each call switches grad
 * mode off on its own thread, uses its own parameter store and frees every intermediate array of
 * a forward pass before it returns. The model's weights are only read.
 *
 * <p>Within a call, records are grouped by mode (pairs, side-0 embeddings, side-1 embeddings),
 * ordered by length and run in forwards of at most {@link #maxForwardRows()} rows, so a group
 * pads only to the longest sequence of its own chunk. The encoders ignore padding, so a record's
 * answer does not depend on what it is batched with (up to float rounding).
 *
 * <p>What the network sees of a side is decided by the model's {@link ZeroIdRule}: the side is
 * cut to its truncation length and, where id 0 is padding (format 2 on), its zeros are dropped.
 * A side left empty (or sent empty) encodes to the zero vector, so such a request is answered
 * like any other: with zeros as its embedding, or with the scores of the zero encoding.
 */
public final class InferenceRunner {

  /** Default limit on the rows of one forward pass; bounds the native memory of a call. */
  public static final int DEFAULT_MAX_FORWARD_ROWS = 512;

  private static final int PAIRS = 2;

  private final TrainedModel model;
  private final Object2VecBlock block;
  private final Hyperparameters hp;
  private final TruncationLengths defaultLengths;
  private final ZeroIdRule zeroIds;
  private final int maxForwardRows;

  /** A runner over {@code model} with {@link #DEFAULT_MAX_FORWARD_ROWS}. */
  public InferenceRunner(TrainedModel model) {
    this(model, DEFAULT_MAX_FORWARD_ROWS);
  }

  /** A runner over {@code model} whose forward passes hold at most {@code maxForwardRows} rows. */
  public InferenceRunner(TrainedModel model, int maxForwardRows) {
    if (maxForwardRows < 1) {
      throw new IllegalArgumentException("maxForwardRows must be >= 1, found " + maxForwardRows);
    }
    this.model = model;
    this.block = model.block();
    this.hp = model.hyperparameters();
    this.defaultLengths = TruncationLengths.of(hp);
    this.zeroIds = model.zeroIds();
    this.maxForwardRows = maxForwardRows;
  }

  /** The model's hyperparameters. */
  public Hyperparameters hyperparameters() {
    return hp;
  }

  /** Length of an embedding ({@code enc_dim}). */
  public int embeddingWidth() {
    return hp.encDim();
  }

  /** Length of a score vector: {@code num_classes} for a softmax head, 1 for regression. */
  public int scoreWidth() {
    return hp.outputLayer() == OutputLayer.SOFTMAX ? hp.numClasses() : 1;
  }

  /** Vocabulary size of {@code side}. */
  public int vocabSize(int side) {
    return hp.encoder(InferenceInstance.checkSide(side)).vocabSize();
  }

  /** What id 0 means to the model (see {@link TrainedModel#zeroIds()}). */
  public ZeroIdRule zeroIds() {
    return zeroIds;
  }

  /** The truncation used when a call names none: each side's {@code max_seq_len}. */
  public TruncationLengths defaultLengths() {
    return defaultLengths;
  }

  /** The largest number of rows one forward pass holds. */
  public int maxForwardRows() {
    return maxForwardRows;
  }

  /** {@link #infer(List, TruncationLengths)} with each side's {@code max_seq_len}. */
  public List<InferenceResult> infer(List<InferenceInstance> records) {
    return infer(records, null);
  }

  /**
   * Answers every record; result {@code i} answers record {@code i}.
   *
   * @param records the requests; every record is validated before anything is computed
   * @param lengths truncation per side ({@code infer_max_seqlens}), or null for the model's own
   * @throws InvalidRecordException for the first missing record or record with an id outside
   *     its side's vocabulary (an instance always has a side; an empty one encodes to zeros)
   */
  public List<InferenceResult> infer(List<InferenceInstance> records, TruncationLengths lengths) {
    for (int i = 0; i < records.size(); i++) {
      validate(i, records.get(i));
    }
    return inferChecked(records, lengths);
  }

  /**
   * As {@link #infer(List, TruncationLengths)} for records whose ids a reader has checked against
   * this runner's {@link #vocabSize} already: a batch job's lines, or requests decoded by an
   * {@link InferenceRequestDecoder} made with these sizes. Ids are checked once, where they are
   * read, so the error names the line or the request; an id outside the vocabulary here fails
   * inside the engine instead.
   */
  public List<InferenceResult> inferChecked(List<InferenceInstance> records, TruncationLengths lengths) {
    TruncationLengths cut = lengths == null ? defaultLengths : lengths;
    InferenceResult[] results = new InferenceResult[records.size()];
    try (NoGradScope noGrad = NoGradScope.enter()) {
      ParameterStore parameters = model.newParameterStore();
      for (int mode = 0; mode <= PAIRS; mode++) {
        int[] group = groupOf(records, mode, cut);
        for (int from = 0; from < group.length; from += maxForwardRows) {
          int to = Math.min(group.length, from + maxForwardRows);
          int[] chunk = Arrays.copyOfRange(group, from, to);
          runChunk(parameters, records, chunk, mode, cut, results);
        }
      }
    }
    return Arrays.asList(results);
  }

  private void validate(int index, InferenceInstance record) {
    if (record == null) {
      throw new InvalidRecordException(index, "null instead of a request");
    }
    for (int side = 0; side < 2; side++) {
      int[] ids = record.ids(side);
      if (ids == null) {
        continue;
      }
      String field = side == 0 ? "in0" : "in1";
      int vocab = vocabSize(side);
      for (int p = 0; p < ids.length; p++) {
        if (ids[p] < 0 || ids[p] >= vocab) {
          throw new InvalidRecordException(
              index,
              String.format(
                  Locale.ROOT,
                  "%s[%d] = %d is outside the vocabulary [0, %d)",
                  field,
                  p,
                  ids[p],
                  vocab));
        }
      }
    }
  }

  /** Indices of the records of one mode, shortest (as the network sees them) first. */
  private int[] groupOf(List<InferenceInstance> records, int mode, TruncationLengths cut) {
    List<Integer> members = new ArrayList<>();
    for (int i = 0; i < records.size(); i++) {
      if (modeOf(records.get(i)) == mode) {
        members.add(i);
      }
    }
    members.sort(
        (a, b) ->
            Integer.compare(keptLength(records.get(a), cut), keptLength(records.get(b), cut)));
    return members.stream().mapToInt(Integer::intValue).toArray();
  }

  /** 0 or 1 for an embedding of that side, {@link #PAIRS} for a pair. */
  private static int modeOf(InferenceInstance record) {
    return record.isPair() ? PAIRS : record.singleSide();
  }

  private int keptLength(InferenceInstance record, TruncationLengths cut) {
    int longest = 0;
    for (int side = 0; side < 2; side++) {
      if (record.has(side)) {
        int[] ids = record.ids(side);
        longest = Math.max(longest, zeroIds.visibleLength(ids, ids.length, cut.of(side)));
      }
    }
    return longest;
  }

  private void runChunk(
      ParameterStore parameters,
      List<InferenceInstance> records,
      int[] chunk,
      int mode,
      TruncationLengths cut,
      InferenceResult[] results) {
    // Ops whose first operand is a weight land in the model's manager; the scope frees them.
    try (NDManager manager = model.manager().newSubManager();
        NDScope scope = new NDScope()) {
      if (mode == PAIRS) {
        NDList inputs = new NDList(4);
        for (int side = 0; side < 2; side++) {
          inputs.addAll(sideTensors(manager, records, chunk, side, cut.of(side)));
        }
        float[] flat = block.score(parameters, inputs).toFloatArray();
        split(flat, scoreWidth(), chunk, results, true);
      } else {
        NDList side = sideTensors(manager, records, chunk, mode, cut.of(mode));
        NDArray embedded = block.embed(parameters, side.get(0), side.get(1), mode);
        split(embedded.toFloatArray(), embeddingWidth(), chunk, results, false);
      }
    }
  }

  /**
   * {@code NDList(ids [B, T] int32, lengths [B] int32)}: the ids the network sees of each record
   * (see {@link ZeroIdRule}), padded with id 0 to {@code T >= 1} even when every side is empty.
   */
  private NDList sideTensors(
      NDManager manager, List<InferenceInstance> records, int[] chunk, int side, int maxLen) {
    int[] lengths = new int[chunk.length];
    int longest = 1;
    for (int r = 0; r < chunk.length; r++) {
      int[] sent = records.get(chunk[r]).ids(side);
      lengths[r] = zeroIds.visibleLength(sent, sent.length, maxLen);
      longest = Math.max(longest, lengths[r]);
    }
    int[] ids = new int[chunk.length * longest];
    for (int r = 0; r < chunk.length; r++) {
      int[] sent = records.get(chunk[r]).ids(side);
      zeroIds.copyVisible(sent, sent.length, maxLen, ids, r * longest);
    }
    return new NDList(
        HostTensors.ints(manager, ids, new Shape(chunk.length, longest)),
        HostTensors.ints(manager, lengths));
  }

  private static void split(
      float[] flat, int width, int[] chunk, InferenceResult[] results, boolean scores) {
    if (flat.length != chunk.length * width) {
      throw new IllegalStateException(
          String.format(
              Locale.ROOT,
              "forward returned %d values for %d rows of width %d",
              flat.length,
              chunk.length,
              width));
    }
    for (int r = 0; r < chunk.length; r++) {
      float[] row = Arrays.copyOfRange(flat, r * width, (r + 1) * width);
      results[chunk[r]] =
          scores ? InferenceResult.ofScores(row) : InferenceResult.ofEmbeddings(row);
    }
  }
}
