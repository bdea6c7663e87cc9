package dev.o2v.encoders.encoder;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * What every encoder shares: input {@code NDList(embedded [B, T, D], lengths [B] int32)}, output
 * {@code NDList(encoding [B, encDim])}, the input-shape check, and a saved format of a version
 * byte, the input shapes, {@code encDim} and the encoder's own integer settings.
 */
abstract class SequenceEncoder extends AbstractBlock {

  private final byte version;
  private final String name;
  private final int encDim;

  SequenceEncoder(byte version, String name, int encDim) {
    super(version);
    this.version = version;
    this.name = name;
    this.encDim = EncoderFormat.positive(name, "encDim", encDim);
  }

  /** The output width. */
  public final int encDim() {
    return encDim;
  }

  /** The block name used in error messages. */
  final String name() {
    return name;
  }

  /** The encoder's integer settings after {@code encDim}, in saved order, by name. */
  abstract String[] settingNames();

  /** The values of {@link #settingNames()}, in the same order. */
  abstract int[] settingValues();

  /** Checks the token embedding width {@code D}; any width by default. */
  void checkTokenWidth(long width) {}

  @Override
  public final Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {new Shape(inputShapes[0].get(0), encDim)};
  }

  @Override
  protected final void beforeInitialize(Shape... inputShapes) {
    super.beforeInitialize(inputShapes);
    checkTokenWidth(EncoderFormat.checkInputShapes(name, inputShapes));
  }

  @Override
  protected final void saveMetadata(DataOutputStream os) throws IOException {
    saveInputShapes(os);
    os.writeInt(encDim);
    for (int value : settingValues()) {
      os.writeInt(value);
    }
  }

  @Override
  public final void loadMetadata(byte loadVersion, DataInputStream is)
      throws IOException, MalformedModelException {
    EncoderFormat.checkVersion(name, loadVersion, version);
    readInputShapes(is);
    EncoderFormat.checkSetting(name, "encDim", encDim, is);
    String[] names = settingNames();
    int[] values = settingValues();
    for (int i = 0; i < names.length; i++) {
      EncoderFormat.checkSetting(name, names[i], values[i], is);
    }
  }
}
