package dev.o2v.encoders.encoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
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
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

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
 * needs transposes of the activations between layers. Two encoders alike in everything but their
 * weights (a pair's two sides, usually) can run as one pass over both batches stacked ({@link
 * #encodePair}): each element-wise step once, each layer's two products as one batched product.
 * The window kernel takes its max over time with {@link MaxOverTime} (libtorch's channels-last
 * pooling).
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

  /**
   * The largest layer product, in multiply-adds of one side, for which two encoders run as one
   * pass ({@link #pairsWith}). Training and scoring steps, paired against separate in alternating
   * rounds of one process (two libtorch threads, medians of 100 rounds of 20 steps): hcnn at the
   * harness's small size (3.9 M multiply-adds in the widest layer) 8.3 / 8.2 ms against 9.0 / 9.4
   * ms training and 3.1 / 2.5 against 3.6 / 2.9 ms scoring; at a sentence task's size (126 M) 42.2
   * against 43.7 ms training; at SageMaker's default sizes (1.18 G) 622 / 609 against 562 / 534 ms.
   */
  static final double PAIRED_PRODUCT_LIMIT = 256e6;

  private final int layers;
  private final int filterWidth;
  private final float dropout;
  private final int[] channels;
  private final Conv1d[] convolutions;
  /** Set by {@link #freezeWeights}: the weights no longer change. */
  private volatile boolean weightsFrozen;
  /**
   * The window product's kernels and biases of frozen weights, made by the first inference pass
   * that needs them: by the encoder paired with this one ({@code this} for a pass of its own) and
   * device (and the pass's encoder count), one {@code {kernel, bias}} per layer.
   */
  private final Map<List<Object>, NDArray[][]> frozenProductWeights = new ConcurrentHashMap<>();

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


  /**
   * Declares that this encoder's weights no longer change (a model loaded for inference), so that
   * inference passes may keep what they derive from them: the window product's kernel of each
   * layer (the weight reordered shift-major, and stacked with the other side's for a paired pass)
   * and its bias, made once instead of in every pass. At the small hcnn size of the benchmarks
   * that is 6 of a paired layer's 14 native operations; the arrays take as much memory as the
   * convolution weights. Training passes never use them.
   */
  public void freezeWeights() {
    weightsFrozen = true;
  }

  /**
   * Undoes {@link #freezeWeights} before the weights change again, freeing the kept arrays. Not
   * while an inference pass of this encoder runs.
   */
  public void thawWeights() {
    weightsFrozen = false;
    for (NDArray[][] kept : frozenProductWeights.values()) {
      for (NDArray[] layer : kept) {
        layer[0].close();
        layer[1].close();
      }
    }
    frozenProductWeights.clear();
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore parameterStore,
      NDList inputs,
      boolean training,
      PairList<String, Object> params) {
    return new NDList(encodeStacked(parameterStore, new HcnnEncoder[] {this}, inputs.get(0),
        inputs.get(1), HcnnKernel.current() == HcnnKernel.CONVOLUTION, training));
  }

  /**
   * Whether this encoder and {@code other} encode their batches in one pass ({@link
   * #encodePair}): the same layers, filter width, channels and dropout, token vectors of the same
   * width, the window kernel, and layer products small enough that their fixed costs weigh. One
   * pass saves a third of a small step's native operations; at SageMaker's default sizes the
   * batched product was slower than two (see {@link #PAIRED_PRODUCT_LIMIT}).
   *
   * @param embedded {@code [B, T, D]} this encoder's token vectors
   * @param otherEmbedded {@code [B, T', D']} the other's
   */
  public boolean pairsWith(HcnnEncoder other, NDArray embedded, NDArray otherEmbedded) {
    Shape mine = embedded.getShape();
    Shape theirs = otherEmbedded.getShape();
    if (HcnnKernel.current() != HcnnKernel.WINDOWS
        || layers != other.layers
        || filterWidth != other.filterWidth
        || dropout != other.dropout
        || !Arrays.equals(channels, other.channels)
        || mine.get(0) != theirs.get(0)
        || mine.get(2) != theirs.get(2)) {
      return false;
    }
    long rows = mine.get(0) * Math.max(mine.get(1), theirs.get(1));
    long inChannels = mine.get(2);
    for (int c : channels) {
      if ((double) rows * filterWidth * inChannels * c > PAIRED_PRODUCT_LIMIT) {
        return false;
      }
      inChannels = c;
    }
    return true;
  }

  /**
   * Both sides of a batch in one pass of two encoders that {@link #pairsWith} each other: the
   * batches are stacked record after record, padded to the longer side's length (with zeros, which
   * the mask keeps out like any padding), every element-wise step runs once on the stack and each
   * layer's two products run as one batched product. Each side's encoding is what its encoder's
   * own pass gives, up to rounding; dropout between layers draws for both sides at once.
   *
   * @param embedded0 {@code [B, T0, D]} first side's token vectors
   * @param lengths0 {@code [B]} its lengths
   * @param embedded1 {@code [B, T1, D]} second side's token vectors
   * @param lengths1 {@code [B]} its lengths
   * @return the two encodings {@code [B, encDim]}, first side first
   */
  public static NDList encodePair(
      ParameterStore parameterStore,
      HcnnEncoder first,
      NDArray embedded0,
      NDArray lengths0,
      HcnnEncoder second,
      NDArray embedded1,
      NDArray lengths1,
      boolean training) {
    long t0 = embedded0.getShape().get(1);
    long t1 = embedded1.getShape().get(1);
    NDArray stacked = NDArrays.concat(new NDList(
        t0 < t1 ? embedded0.pad(new Shape(0, 0, 0, t1 - t0), 0f) : embedded0,
        t1 < t0 ? embedded1.pad(new Shape(0, 0, 0, t0 - t1), 0f) : embedded1), 0);
    NDArray lengths = NDArrays.concat(new NDList(lengths0, lengths1), 0);
    NDArray both = encodeStacked(parameterStore, new HcnnEncoder[] {first, second}, stacked,
        lengths, false, training);
    long batch = embedded0.getShape().get(0);
    return new NDList(both.get(new NDIndex("0:{}", batch)), both.get(new NDIndex("{}:", batch)));
  }

  /**
   * The encodings of {@code encoders.length} (G) batches of the same size stacked record after
   * record: {@code embedded [G·B, T, D]}, {@code lengths [G·B]} → {@code [G·B, encDim]}, the
   * {@code g}-th block of {@code B} rows encoded with {@code encoders[g]}'s weights. The
   * convolution kernel takes one encoder only.
   */
  private static NDArray encodeStacked(
      ParameterStore parameterStore,
      HcnnEncoder[] encoders,
      NDArray embedded,
      NDArray lengths,
      boolean channelsFirst,
      boolean training) {
    HcnnEncoder settings = encoders[0];
    PaddingMask mask = PaddingMask.of(lengths, embedded.getShape().get(1));
    // The input's padding may hold anything (NaN included): zeroPadding removes it. From then on
    // padding only holds finite numbers, and one multiplication with a 0/1 mask zeroes it.
    NDArray current = mask.zeroPadding(embedded); // [G·B, T, D]
    NDArray keep = mask.keep(embedded.getDataType()); // [G·B, T, 1]
    if (channelsFirst) {
      current = current.transpose(0, 2, 1); // [B, D, T]
      keep = keep.transpose(0, 2, 1); // [B, 1, T]
    }
    boolean dropping = training && settings.dropout > 0f;
    NDList pooled = new NDList(settings.layers);
    for (int l = 0; l < settings.layers; l++) {
      NDArray activation =
          (channelsFirst
                  ? settings.convolveChannelsFirst(parameterStore, l, current, training)
                  : convolveWindows(
                      productWeights(parameterStore, encoders, l, current, training),
                      encoders.length, settings.filterWidth, current))
              .mul(keep);
      // ReLU outputs are >= 0, so the zeros at padded positions never exceed the valid maximum:
      // a plain max over time is the masked max. A sequence of length 0 (T >= 1 still) has only
      // zeros there, so it pools to exactly 0 in every channel.
      pooled.add(channelsFirst ? activation.max(new int[] {2}) : MaxOverTime.of(activation));
      if (l + 1 < settings.layers) {
        current = dropping
            ? Dropout.dropout(activation, settings.dropout, true).singletonOrThrow()
            : activation;
      }
    }
    return settings.layers == 1 ? pooled.get(0) : NDArrays.concat(pooled, 1);
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
   * last, {@code [G·B, T, C] -> [G·B, T, c_l]}, block {@code g} with encoder {@code g}'s kernel.
   * The input's padded positions must already be zero.
   *
   * @param weights the layer's {@code {kernel, bias}} as {@link #productWeights} gives them
   * @param groups {@code G}, the number of encoders in the pass
   */
  private static NDArray convolveWindows(
      NDArray[] weights, int groups, int filterWidth, NDArray input) {
    NDArray kernel = weights[0];
    NDArray bias = weights[1];
    Shape in = input.getShape();
    long width = kernel.getShape().get(1); // k·C in both layouts
    long outChannels = kernel.getShape().get(groups == 1 ? 0 : 2);
    long rows = in.get(0) * in.get(1) / groups;
    NDArray windows = filterWidth == 1 ? input : windows(input, filterWidth);
    NDArray product = groups == 1
        // Two-dimensional, so that bias and product are one fused operation (and one gradient
        // node).
        ? Linear.linear(windows.reshape(rows, width), kernel, bias).singletonOrThrow()
        : windows.reshape(groups, rows, width).batchMatMul(kernel).add(bias);
    return Activation.relu(product.reshape(in.get(0), in.get(1), outChannels));
  }

  /**
   * Layer {@code l}'s kernel and bias in the window product's layout: for one encoder {@code
   * {[c_l, k·C], [c_l]}} (the weight {@code [c_l, C, k]} reordered shift-major like the windows:
   * {@code [c_l, k, C]}, a small copy), for {@code G} encoders their kernels stacked and
   * transposed for a batched product, {@code {[G, k·C, c_l], [G, 1, c_l]}}. In an inference pass
   * of encoders whose weights are frozen, the arrays made by the first such pass on the device.
   */
  private static NDArray[] productWeights(ParameterStore parameterStore, HcnnEncoder[] encoders,
      int l, NDArray input, boolean training) {
    HcnnEncoder first = encoders[0];
    if (training || !first.weightsFrozen || !encoders[encoders.length - 1].weightsFrozen) {
      return derivedProductWeights(parameterStore, encoders, l, input, training);
    }
    List<Object> key = List.of(encoders.length, encoders[encoders.length - 1], input.getDevice());
    return first.frozenProductWeights.computeIfAbsent(key, k -> {
      // Copies of their own (a one-encoder bias is the parameter itself), on the weights'
      // manager and out of the pass's scope: they live until thawed or the model is closed.
      NDManager owner = first.convolutions[0].getParameters().get("weight").getArray()
          .getManager();
      NDArray[][] all = new NDArray[first.layers][];
      for (int layer = 0; layer < first.layers; layer++) {
        NDArray[] derived = derivedProductWeights(parameterStore, encoders, layer, input, false);
        all[layer] = new NDArray[derived.length];
        for (int i = 0; i < derived.length; i++) {
          all[layer][i] = derived[i].duplicate();
          NDScope.unregister(all[layer][i]);
          all[layer][i].attach(owner);
        }
      }
      return all;
    })[l];
  }

  /** {@link #productWeights} made from the parameters. */
  private static NDArray[] derivedProductWeights(ParameterStore parameterStore,
      HcnnEncoder[] encoders, int l, NDArray input, boolean training) {
    int groups = encoders.length;
    int filterWidth = encoders[0].filterWidth;
    NDArray weight = layerParameter(parameterStore, encoders, l, "weight", input, training);
    NDArray bias = layerParameter(parameterStore, encoders, l, "bias", input, training);
    Shape weightShape = weight.getShape();
    long outChannels = weightShape.get(weightShape.dimension() - 3);
    long width = weightShape.get(weightShape.dimension() - 2) * filterWidth;
    if (groups == 1) {
      NDArray kernel = filterWidth == 1
          ? weight.reshape(outChannels, width)
          : weight.transpose(0, 2, 1).reshape(outChannels, width);
      return new NDArray[] {kernel, bias};
    }
    NDArray kernel = filterWidth == 1
        ? weight.reshape(groups, outChannels, width)
        : weight.transpose(0, 1, 3, 2).reshape(groups, outChannels, width);
    return new NDArray[] {kernel.transpose(0, 2, 1), bias.reshape(groups, 1, outChannels)};
  }

  /**
   * Layer {@code l}'s {@code name} ({@code weight [c_l, C, k]} or {@code bias [c_l]}) of the one
   * encoder, or of every encoder stacked in order ({@code [G, ...]}).
   */
  private static NDArray layerParameter(ParameterStore parameterStore, HcnnEncoder[] encoders,
      int l, String name, NDArray input, boolean training) {
    if (encoders.length == 1) {
      return encoders[0].parameter(parameterStore, l, name, input, training);
    }
    NDList each = new NDList(encoders.length);
    for (HcnnEncoder encoder : encoders) {
      each.add(encoder.parameter(parameterStore, l, name, input, training));
    }
    return NDArrays.stack(each);
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
  private static NDArray windows(NDArray input, int filterWidth) {
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
