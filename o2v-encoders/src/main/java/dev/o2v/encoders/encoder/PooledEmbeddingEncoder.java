package dev.o2v.encoders.encoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Locale;

/**
 * The {@code pooled_embedding} encoder: the mean of a sequence's token embeddings over its valid
 * positions. It has no weights, so the token embedding width must equal {@code encDim}.
 *
 * <ul>
 *   <li>input: {@code embedded [B, T, encDim]} float, {@code lengths [B]} int32 (0 allowed)
 *   <li>output: {@code encoding [B, encDim]}; exactly 0 for a sequence of length 0
 * </ul>
 */
public final class PooledEmbeddingEncoder extends SequenceEncoder {

  private static final byte VERSION = 1;
  private static final String NAME = "PooledEmbeddingEncoder";


  /**
   * Creates the encoder.
   *
   * @param encDim output width, equal to the token embedding width
   */
  public PooledEmbeddingEncoder(int encDim) {
    super(VERSION, NAME, encDim);
  }


  @Override
  protected NDList forwardInternal(
      ParameterStore parameterStore,
      NDList inputs,
      boolean training,
      PairList<String, Object> params) {
    return new NDList(SequenceMasks.maskedMean(inputs.get(0), inputs.get(1)));
  }

  /**
   * The encoder's output computed from a record-by-row token matrix instead of padded token
   * vectors, for trainers that gather a batch's table rows: {@code tokens [B, U]} (sparse) holds
   * for each record a 1 at each of its real tokens' rows (a token repeated in a record adds up),
   * so {@code tokens · rows} is each record's sum of token vectors, divided by {@code max(length,
   * 1)} as {@link #forward} does. It never builds the {@code [B, T, encDim]} token vectors, whose
   * padding the forward pass must mask, and its gradient with respect to {@code rows} is the
   * sparse product's, {@code [U, encDim]}. Sums run in another order than over time, so results
   * agree with {@link #forward} up to rounding.
   *
   * @param tokens {@code [B, U]} sparse token counts
   * @param rows {@code [U, encDim]} the rows the batch reads
   * @param lengths {@code [B]} numbers of real tokens
   * @return {@code [B, encDim]}
   */
  public static NDArray meanOfRows(NDArray tokens, NDArray rows, NDArray lengths) {
    NDArray summed = tokens.matMul(rows);
    NDArray count = lengths.toType(summed.getDataType(), false).reshape(-1, 1).maximum(1f);
    return summed.div(count);
  }

  /**
   * The encoder's output straight from token ids, for inference: {@link #meanOfRows} with the
   * whole table as the rows and a record-by-vocabulary sparse matrix of each record's real tokens.
   * It reads only the rows the batch names and never builds the {@code [B, T, encDim]} token
   * vectors, whose padding {@link #forward} must mask with a select over every element; padded
   * positions are not looked up at all. Sums run in another order than over time, so results
   * agree with {@link #forward} up to rounding (and equal the gathered-rows training path's).
   *
   * @param table {@code [V, encDim]} the token table
   * @param ids {@code [B, T]} int32 or int64 token ids; positions from a record's length on are
   *     ignored
   * @param lengths {@code [B]} int32 numbers of real tokens
   * @return {@code [B, encDim]}
   * @throws IllegalArgumentException if a real token's id is outside the table
   */
  public static NDArray meanOfIds(
      NDArray table, NDArray ids, NDArray lengths, TokenMatrixFactory matrices) {
    return meanOfRows(tokenCounts(ids, lengths, table.getShape().get(0), matrices), table,
        lengths);
  }

  /**
   * A {@link TokenMatrixFactory} through DJL's own {@code createCoo}, copied at once: DJL leaves
   * the indices and values it makes in direct buffers that the JDK frees once the arrays it
   * closes are collected, while the sparse matrix still reads them, so that a batch could read
   * another array's bytes as token ids after a collection. The copy owns its memory; a
   * collection between the two calls is still possible, which the engine module's factory
   * avoids.
   */
  public static final TokenMatrixFactory COPIED_COO = (manager, coordinates, shape) -> {
    int n = coordinates.length / 2;
    long[][] split = {
      Arrays.copyOfRange(coordinates, 0, n), Arrays.copyOfRange(coordinates, n, 2 * n)
    };
    float[] ones = new float[n];
    Arrays.fill(ones, 1f);
    try (NDArray made = manager.createCoo(FloatBuffer.wrap(ones), split, shape)) {
      return made.duplicate();
    }
  };

  /** The record-by-vocabulary token matrix {@code [B, vocab]} of {@link #meanOfIds}. */
  static NDArray tokenCounts(
      NDArray ids, NDArray lengths, long vocab, TokenMatrixFactory matrices) {
    Shape shape = ids.getShape();
    if (shape.dimension() != 2) {
      throw new IllegalArgumentException("ids must be [B, T], found " + shape);
    }
    int records = Math.toIntExact(shape.get(0));
    int width = Math.toIntExact(shape.get(1));
    long[] flat = ids.getDataType() == DataType.INT64
        ? ids.toLongArray() : Arrays.stream(ids.toIntArray()).asLongStream().toArray();
    int[] length = lengths.toIntArray();
    if (length.length != records) {
      throw new IllegalArgumentException(
          "lengths must have one entry per record (" + records + "), found " + length.length);
    }
    int tokens = 0;
    for (int len : length) {
      tokens += Math.max(0, Math.min(len, width));
    }
    long[] coordinates = new long[2 * tokens];
    int at = 0;
    for (int r = 0; r < records; r++) {
      for (int p = 0; p < Math.min(length[r], width); p++) {
        long id = flat[r * width + p];
        if (id < 0 || id >= vocab) {
          throw new IllegalArgumentException(String.format(Locale.ROOT,
              "token id %d (record %d, position %d) is outside the table's %d rows", id, r, p,
              vocab));
        }
        coordinates[at] = r;
        coordinates[tokens + at] = id;
        at++;
      }
    }
    return matrices.create(ids.getManager(), coordinates, new Shape(records, vocab));
  }

  @Override
  String[] settingNames() {
    return new String[0];
  }

  @Override
  int[] settingValues() {
    return new int[0];
  }

  /** Mean pooling has no weights, so the token vectors must already be {@code encDim} wide. */
  @Override
  void checkTokenWidth(long width) {
    if (width != encDim()) {
      throw new IllegalArgumentException(
          String.format(
              Locale.ROOT,
              "%s token embedding width must equal encDim %d, found %d",
              NAME,
              encDim(),
              width));
    }
  }
}
