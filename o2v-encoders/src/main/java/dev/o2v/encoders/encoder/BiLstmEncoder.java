package dev.o2v.encoders.encoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.util.PairList;

/**
 * The {@code bilstm} encoder: {@code L} stacked bidirectional LSTM layers with {@code h =
 * ceil(encDim / 2)} states per direction, a masked max over time of {@code [fwd; bwd]}, and a
 * linear projection to {@code encDim} when {@code 2h != encDim} (odd {@code encDim}).
 *
 * <ul>
 *   <li>input: {@code embedded [B, T, D]} float, {@code lengths [B]} int32 (0 allowed)
 *   <li>output: {@code encoding [B, encDim]}; exactly 0 for a sequence of length 0 (also after
 *       the projection, whose bias is not added to it)
 * </ul>
 *
 * <p>Padding invariant in both directions (see {@link BidirectionalLstmLayer}). Dropout is applied
 * to each layer's output on its way into the next layer, never after the last. The projection, if
 * any, has Glorot uniform weights and a zero bias.
 */
public final class BiLstmEncoder extends SequenceEncoder {

  private static final byte VERSION = 1;
  private static final String NAME = "BiLstmEncoder";

  private final int layers;
  private final float dropout;
  private final int hidden;
  private final BidirectionalLstmLayer[] lstmLayers;
  private final Linear projection;

  /**
   * Creates the encoder.
   *
   * @param encDim output width
   * @param layers number of stacked bidirectional layers {@code L}
   * @param dropout dropout rate between layers, in {@code [0, 1]}
   */
  public BiLstmEncoder(int encDim, int layers, float dropout) {
    super(VERSION, NAME, encDim);
    this.layers = EncoderFormat.positive(NAME, "layers", layers);
    this.dropout = EncoderFormat.dropoutRate(NAME, dropout);
    this.hidden = statesPerDirection(encDim);
    this.lstmLayers = new BidirectionalLstmLayer[layers];
    for (int l = 0; l < layers; l++) {
      lstmLayers[l] = addChildBlock("lstm" + l, new BidirectionalLstmLayer(hidden));
    }
    if (2 * hidden != encDim) {
      Linear linear = Linear.builder().setUnits(encDim).build();
      // Glorot uniform: DJL's Xavier with AVG fan and magnitude 3 gives sqrt(6 / (in + out)).
      linear.setInitializer(
          new XavierInitializer(
              XavierInitializer.RandomType.UNIFORM, XavierInitializer.FactorType.AVG, 3),
          Parameter.Type.WEIGHT);
      this.projection = addChildBlock("projection", linear);
    } else {
      this.projection = null;
    }
  }


  /** The state width of each direction, {@code ceil(encDim / 2)}. */
  public int hidden() {
    return hidden;
  }

  /** The state width of each direction of an encoder of width {@code encDim}. */
  public static int statesPerDirection(int encDim) {
    return (encDim + 1) / 2;
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore parameterStore,
      NDList inputs,
      boolean training,
      PairList<String, Object> params) {
    NDArray states = inputs.get(0);
    // One padding layout and one zero state per batch, shared by every layer and direction.
    PaddingMask mask = PaddingMask.of(inputs.get(1), states.getShape().get(1));
    NDArray zeroState = lstmLayers[0].initialState(states);
    for (int l = 0; l < layers; l++) {
      if (l > 0 && training && dropout > 0f) {
        states = Dropout.dropout(states, dropout, true).singletonOrThrow();
      }
      // The max over time ignores order, so the last layer's backward states may stay reversed
      // within their lengths: same positions, same valid set, same maximum.
      boolean last = l + 1 == layers;
      states =
          lstmLayers[l].forwardMasked(parameterStore, states, mask, zeroState, training, !last);
    }
    NDArray pooled = mask.maskedMax(states); // 0 for a sequence of length 0
    if (projection != null) {
      // The projection's bias would turn an empty sequence's zeros into the bias: select zeros.
      pooled =
          mask.zeroEmptyRows(
              projection.forward(parameterStore, new NDList(pooled), training).head());
    }
    return new NDList(pooled);
  }



  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    Shape embedded = inputShapes[0];
    Shape layerInput = embedded;
    for (BidirectionalLstmLayer layer : lstmLayers) {
      layer.initialize(manager, dataType, layerInput, inputShapes[1]);
      layerInput = layer.getOutputShapes(new Shape[] {layerInput, inputShapes[1]})[0];
    }
    if (projection != null) {
      projection.initialize(manager, dataType, new Shape(embedded.get(0), 2L * hidden));
    }
  }

  @Override
  String[] settingNames() {
    return new String[] {"layers"};
  }

  @Override
  int[] settingValues() {
    return new int[] {layers};
  }
}
