package dev.o2v.encoders.encoder;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Locale;

/**
 * The {@code pooled_embedding} encoder: the mean of a sequence's token embeddings over its valid
 * positions. It has no weights, so the token embedding width must equal {@code encDim}.
 *
 * <ul>
 *   <li>input: {@code embedded [B, T, encDim]} float, {@code lengths [B]} int32
 *   <li>output: {@code encoding [B, encDim]}
 * </ul>
 */
public final class PooledEmbeddingEncoder extends AbstractBlock {

  private static final byte VERSION = 1;
  private static final String NAME = "PooledEmbeddingEncoder";

  private final int encDim;

  /**
   * Creates the encoder.
   *
   * @param encDim output width, equal to the token embedding width
   */
  public PooledEmbeddingEncoder(int encDim) {
    super(VERSION);
    this.encDim = EncoderFormat.positive(NAME, "encDim", encDim);
  }

  /** The output width. */
  public int encDim() {
    return encDim;
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore parameterStore,
      NDList inputs,
      boolean training,
      PairList<String, Object> params) {
    NDArray embedded = inputs.get(0);
    NDArray lengths = inputs.get(1);
    return new NDList(SequenceMasks.maskedMean(embedded, lengths));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {new Shape(inputShapes[0].get(0), encDim)};
  }

  @Override
  protected void beforeInitialize(Shape... inputShapes) {
    super.beforeInitialize(inputShapes);
    long width = EncoderFormat.checkInputShapes(NAME, inputShapes);
    if (width != encDim) {
      throw new IllegalArgumentException(
          String.format(
              Locale.ROOT,
              "%s token embedding width must equal encDim %d, found %d",
              NAME,
              encDim,
              width));
    }
  }

  @Override
  protected void saveMetadata(DataOutputStream os) throws IOException {
    saveInputShapes(os);
    os.writeInt(encDim);
  }

  @Override
  public void loadMetadata(byte loadVersion, DataInputStream is)
      throws IOException, MalformedModelException {
    EncoderFormat.checkVersion(NAME, loadVersion, VERSION);
    readInputShapes(is);
    EncoderFormat.checkSetting(NAME, "encDim", encDim, is);
  }
}
