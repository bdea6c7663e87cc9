package dev.o2v.encoders.encoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv1d;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.util.PairList;
import java.util.Locale;

/**
 * The {@code hcnn} encoder: {@code L} stacked 1-D convolutions with ReLU, each followed by a masked
 * max over time; the output concatenates the {@code L} pooled vectors.
 *
 * <ul>
 *   <li>input: {@code embedded [B, T, D]} float, {@code lengths [B]} int32
 *   <li>output: {@code encoding [B, encDim]}, every entry {@code >= 0}
 * </ul>
 *
 * <p>Layer {@code l} has {@code c_l} output channels, {@code encDim} split as evenly as possible
 * with the first {@code encDim mod L} layers one channel wider (see {@link #channelSplit}).
 *
 * <p>Convolutions use "same" padding: the output has one position per input position. For an odd
 * width {@code k} position {@code t} sees {@code t - (k-1)/2 .. t + (k-1)/2}; for an even width it
 * sees {@code t - (k/2 - 1) .. t + k/2}, i.e. one more position to the right than to the left
 * (PyTorch's convention for {@code padding="same"}). It is built as a symmetric padding of {@code
 * k/2} whose first output position is dropped.
 *
 * <p>Padding invariance: padded positions are set to zero before every convolution, so the last
 * valid positions of a sequence see exactly the zeros the convolution's own padding would give if
 * the sequence were batched alone, and the max over time skips padded positions.
 *
 * <p>Dropout is applied to a layer's activations on their way into the next layer (between layers,
 * never after the last); the pooled vector of a layer is taken before that dropout.
 *
 * <p>Initialisation: He (Kaiming) normal weights, {@code std = sqrt(2 / (inChannels * k))}, which
 * keeps ReLU activations at a stable scale through the stack; zero biases. Random values come from
 * the engine's generator, seeded with {@code Engine.getInstance().setRandomSeed}.
 */
public final class HcnnEncoder extends SequenceEncoder {

  private static final byte VERSION = 1;
  private static final String NAME = "HcnnEncoder";

  private final int layers;
  private final int filterWidth;
  private final float dropout;
  private final int[] channels;
  private final Conv1d[] convolutions;

  /**
   * Creates the encoder.
   *
   * @param encDim output width, at least {@code layers}
   * @param layers number of stacked convolutions {@code L}
   * @param filterWidth convolution width {@code k}
   * @param dropout dropout rate between layers, in {@code [0, 1]}
   */
  public HcnnEncoder(int encDim, int layers, int filterWidth, float dropout) {
    super(VERSION, NAME, encDim);
    this.layers = EncoderFormat.positive(NAME, "layers", layers);
    this.filterWidth = EncoderFormat.positive(NAME, "filterWidth", filterWidth);
    this.dropout = EncoderFormat.dropoutRate(NAME, dropout);
    this.channels = channelSplit(encDim, layers);
    this.convolutions = new Conv1d[layers];
    for (int l = 0; l < layers; l++) {
      Conv1d conv =
          Conv1d.builder()
              .setKernelShape(new Shape(filterWidth))
              .setFilters(channels[l])
              .optPadding(new Shape(filterWidth / 2))
              .build();
      conv.setInitializer(
          new XavierInitializer(
              XavierInitializer.RandomType.GAUSSIAN, XavierInitializer.FactorType.IN, 2),
          Parameter.Type.WEIGHT);
      convolutions[l] = addChildBlock("conv" + l, conv);
    }
  }

  /**
   * Splits {@code encDim} channels over {@code layers} layers as evenly as possible, the first
   * {@code encDim mod layers} layers one wider.
   *
   * @param encDim total channels, at least {@code layers}
   * @param layers number of layers
   * @return the channel count of each layer, summing to {@code encDim}
   */
  public static int[] channelSplit(int encDim, int layers) {
    if (layers < 1 || encDim < layers) {
      throw new IllegalArgumentException(
          String.format(
              Locale.ROOT, "%s encDim must be >= layers (%d), found %d", NAME, layers, encDim));
    }
    int[] split = new int[layers];
    for (int l = 0; l < layers; l++) {
      split[l] = encDim / layers + (l < encDim % layers ? 1 : 0);
    }
    return split;
  }


  @Override
  protected NDList forwardInternal(
      ParameterStore parameterStore,
      NDList inputs,
      boolean training,
      PairList<String, Object> params) {
    NDArray lengths = inputs.get(1);
    NDArray current = inputs.get(0); // [B, T, C]
    NDList pooled = new NDList(layers);
    for (int l = 0; l < layers; l++) {
      NDArray activation = convolve(parameterStore, l, current, lengths, training);
      pooled.add(SequenceMasks.maskedMax(activation, lengths));
      if (l + 1 < layers) {
        current = Dropout.dropout(activation, dropout, training).singletonOrThrow();
      }
    }
    return new NDList(layers == 1 ? pooled.get(0) : NDArrays.concat(pooled, 1));
  }

  /** One layer: zero the padding, convolve ("same"), ReLU. {@code [B, T, C] -> [B, T, c_l]}. */
  private NDArray convolve(
      ParameterStore parameterStore, int l, NDArray input, NDArray lengths, boolean training) {
    NDArray channelsFirst = SequenceMasks.zeroPadding(input, lengths).transpose(0, 2, 1);
    NDArray out =
        convolutions[l]
            .forward(parameterStore, new NDList(channelsFirst), training)
            .singletonOrThrow();
    if (filterWidth % 2 == 0) {
      out = out.get(":, :, 1:");
    }
    return Activation.relu(out).transpose(0, 2, 1);
  }



  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    Shape embedded = inputShapes[0];
    long inChannels = embedded.get(2);
    for (int l = 0; l < layers; l++) {
      Shape convInput = new Shape(embedded.get(0), inChannels, embedded.get(1));
      convolutions[l].initialize(manager, dataType, convInput);
      inChannels = channels[l];
    }
  }

  @Override
  String[] settingNames() {
    return new String[] {"layers", "filterWidth"};
  }

  @Override
  int[] settingValues() {
    return new int[] {layers, filterWidth};
  }
}
