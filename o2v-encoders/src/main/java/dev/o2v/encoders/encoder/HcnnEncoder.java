package dev.o2v.encoders.encoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv1d;
import ai.djl.nn.core.Linear;
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
 *   <li>input: {@code embedded [B, T, D]} float, {@code lengths [B]} int32 (0 allowed)
 *   <li>output: {@code encoding [B, encDim]}, every entry {@code >= 0}; exactly 0 for a sequence
 *       of length 0
 * </ul>
 *
 * <p>Layer {@code l} has {@code c_l} output channels, {@code encDim} split as evenly as possible
 * with the first {@code encDim mod L} layers one channel wider (see {@link #channelSplit}).
 *
 * <p>Convolutions use "same" padding: the output has one position per input position. For an odd
 * width {@code k} position {@code t} sees {@code t - (k-1)/2 .. t + (k-1)/2}; for an even width it
 * sees {@code t - (k/2 - 1) .. t + k/2}, i.e. one more position to the right than to the left
 * (PyTorch's convention for {@code padding="same"}): {@code (k-1)/2} zeros before the sequence and
 * {@code k/2} after.
 *
 * <p>Padding invariance: padded positions are zero in every convolution's input, so the last valid
 * positions of a sequence see exactly the zeros the convolution's own padding would give if the
 * sequence were batched alone. The input's padding is selected away (it may hold anything); each
 * layer's activations are then multiplied by the batch's 0/1 mask, which zeroes their padding both
 * for the next layer and for the max over time. ReLU outputs are non-negative, so those zeros never
 * beat a sequence's valid maximum and padded positions receive no gradient.
 *
 * <p>Computation: each layer's parameters live in a {@link Conv1d} block ({@code weight [c_l,
 * in, k]}, {@code bias [c_l]}, the layout saved models hold). A pass computes all its layers with
 * one of two kernels ({@link HcnnKernel}: the second unless a measurement forces the first):
 * libtorch's convolution on channels-first activations, or channels last as one matrix product per
 * layer, where the {@code k} shifted copies of the input are stacked into windows {@code [B, T,
 * k·in]} (shift-major) and multiplied by the weight reordered to {@code [c_l, k·in]}. Neither
 * needs transposes of the activations between layers.
 *
 * <p>Dropout is applied to a layer's activations on their way into the next layer (between layers,
 * never after the last); the pooled vector of a layer is taken before that dropout.
 *
 * <p>Initialisation: weights and biases uniform in ±1/√fan_in, {@code fan_in = inChannels * k}
 * (PyTorch's default for a convolution), chosen by measurement over He normal weights ({@code std =
 * sqrt(2 / fan_in)}, about 2.4 times larger) with zero biases, which o2v drew before: on the
 * generated topic task of the training module's encoder test the best validation accuracy rose
 * from about 0.65 to 0.78–0.86 (five seeds), and on SICK entailment the later epochs hold up
 * better (benchmarks README, "Quality"). Random values come from the engine's generator, seeded
 * with {@code Engine.getInstance().setRandomSeed}.
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
              .build();
      conv.setInitializer(
          new XavierInitializer(
              XavierInitializer.RandomType.UNIFORM, XavierInitializer.FactorType.IN, 1),
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
    NDArray embedded = inputs.get(0); // [B, T, D]
    PaddingMask mask = PaddingMask.of(inputs.get(1), embedded.getShape().get(1));
    boolean channelsFirst = HcnnKernel.current() == HcnnKernel.CONVOLUTION;
    int time = channelsFirst ? 2 : 1;
    // The input's padding may hold anything (NaN included), so it is removed with a select. From
    // then on padding only holds finite numbers, and one multiplication with a 0/1 mask zeroes it.
    NDArray current = mask.fillPadding(embedded, 0f); // [B, T, D]
    NDArray keep = mask.keep(embedded.getDataType()); // [B, T, 1]
    if (channelsFirst) {
      current = current.transpose(0, 2, 1); // [B, D, T]
      keep = keep.transpose(0, 2, 1); // [B, 1, T]
    }
    boolean dropping = training && dropout > 0f;
    NDList pooled = new NDList(layers);
    for (int l = 0; l < layers; l++) {
      NDArray activation =
          (channelsFirst
                  ? convolveChannelsFirst(parameterStore, l, current, training)
                  : convolveWindows(parameterStore, l, current, training))
              .mul(keep);
      // ReLU outputs are >= 0, so the zeros at padded positions never exceed the valid maximum:
      // a plain max over time is the masked max. A sequence of length 0 (T >= 1 still) has only
      // zeros there, so it pools to exactly 0 in every channel.
      pooled.add(activation.max(new int[] {time}));
      if (l + 1 < layers) {
        current =
            dropping ? Dropout.dropout(activation, dropout, true).singletonOrThrow() : activation;
      }
    }
    return new NDList(layers == 1 ? pooled.get(0) : NDArrays.concat(pooled, 1));
  }

  /**
   * One layer by libtorch's convolution: convolve ("same") and ReLU, channels first, {@code [B,
   * C, T] -> [B, c_l, T]}. The input's padded positions must already be zero. An even width is
   * padded {@code k/2} on both sides and its first output position dropped, which leaves the
   * {@code k/2 - 1} zeros before and {@code k/2} after that "same" asks for.
   */
  private NDArray convolveChannelsFirst(
      ParameterStore parameterStore, int l, NDArray input, boolean training) {
    NDArray weight = parameter(parameterStore, l, "weight", input, training); // [c_l, C, k]
    NDArray bias = parameter(parameterStore, l, "bias", input, training);
    NDArray output = Conv1d.conv1d(input, weight, bias, new Shape(1), new Shape(filterWidth / 2),
        new Shape(1), 1).singletonOrThrow();
    if (filterWidth % 2 == 0) {
      output = output.get(new NDIndex(":, :, 1:"));
    }
    return Activation.relu(output);
  }

  /**
   * One layer as a matrix product over stacked windows: convolve ("same") and ReLU, channels
   * last, {@code [B, T, C] -> [B, T, c_l]}. The input's padded positions must already be zero.
   */
  private NDArray convolveWindows(
      ParameterStore parameterStore, int l, NDArray input, boolean training) {
    NDArray weight = parameter(parameterStore, l, "weight", input, training); // [c_l, C, k]
    NDArray bias = parameter(parameterStore, l, "bias", input, training);
    Shape in = input.getShape();
    long outChannels = weight.getShape().get(0);
    long width = weight.getShape().get(1) * filterWidth;
    // Shift-major like the windows: [c_l, C, k] -> [c_l, k, C] -> [c_l, k·C] (a small copy).
    NDArray kernel = filterWidth == 1
        ? weight.reshape(outChannels, width)
        : weight.transpose(0, 2, 1).reshape(outChannels, width);
    // Two-dimensional, so that bias and product are one fused operation (and one gradient node).
    NDArray windows = (filterWidth == 1 ? input : windows(input))
        .reshape(in.get(0) * in.get(1), width);
    NDArray product = Linear.linear(windows, kernel, bias).singletonOrThrow();
    return Activation.relu(product.reshape(in.get(0), in.get(1), outChannels));
  }

  /** Layer {@code l}'s {@code weight} or {@code bias} on {@code input}'s device. */
  private NDArray parameter(
      ParameterStore parameterStore, int l, String name, NDArray input, boolean training) {
    return parameterStore.getValue(
        convolutions[l].getParameters().get(name), input.getDevice(), training);
  }

  /**
   * The {@code k} positions each output position sees, shift-major, {@code [B, T, C] -> [B, T, k,
   * C]}: shift {@code j} holds position {@code t + j - (k-1)/2}, zero outside the sequence (the
   * input padded with {@code (k-1)/2} zeros before and {@code k/2} after). Stacking whole rows of
   * channels copies contiguous blocks; stacking along the last axis instead (channel-major, the
   * weight's own order) copied element by element, about thirty times slower on one thread.
   */
  private NDArray windows(NDArray input) {
    long time = input.getShape().get(1);
    int before = (filterWidth - 1) / 2;
    int after = filterWidth - 1 - before;
    NDList shifted = new NDList(filterWidth);
    if (before <= 1 && after <= 1) {
      // Widths up to 3: each shift is one padding of the input, where a count of -1 crops one
      // position (a shape cannot hold less); the unshifted copy is the input itself.
      for (int j = 0; j < filterWidth; j++) {
        shifted.add(j == before ? input : input.pad(new Shape(0, 0, before - j, j - before), 0f));
      }
    } else {
      NDArray padded = input.pad(new Shape(0, 0, before, after), 0f);
      for (int j = 0; j < filterWidth; j++) {
        shifted.add(padded.get(new NDIndex(":, {}:{}", j, j + time)));
      }
    }
    return NDArrays.stack(shifted, 2);
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    Shape embedded = inputShapes[0];
    long inChannels = embedded.get(2);
    for (int l = 0; l < layers; l++) {
      Shape convInput = new Shape(embedded.get(0), inChannels, embedded.get(1));
      // The bias takes its bound from the weight's fan-in, known only once the input width is.
      float bound = (float) (1.0 / Math.sqrt(inChannels * filterWidth));
      convolutions[l].setInitializer(
          (m, shape, type) -> m.randomUniform(-bound, bound, shape, type), Parameter.Type.BIAS);
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
