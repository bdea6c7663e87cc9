package dev.o2v.encoders.encoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
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
