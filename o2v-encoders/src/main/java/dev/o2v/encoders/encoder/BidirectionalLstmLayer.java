package dev.o2v.encoders.encoder;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * One bidirectional LSTM layer whose backward direction starts at each sequence's own last token.
 *
 * <ul>
 *   <li>input: {@code values [B, T, in]} float, {@code lengths [B]} int32
 *   <li>output: {@code [B, T, 2 * hidden]}, forward states then backward states; positions past a
 *       sequence's length hold meaningless values
 * </ul>
 *
 * <p>Each direction runs one {@link LstmKernel} (the engine's fused op, or the same recurrence
 * step by step where the fused op cannot be trusted; {@link LstmKernelChoice}), with its
 * parameters declared in PyTorch's order and layout: {@code w_ih [4h, in]}, {@code w_hh [4h, h]}, {@code b_ih [4h]},
 * {@code b_hh [4h]}, gates {@code (i, f, g, o)}. The forward direction reads the padded batch as
 * is: its state at a valid position only depends on earlier positions, so trailing padding cannot
 * reach it. The backward direction reads every sequence reversed within its own length ({@link
 * SequenceMasks#reverseWithinLength}), which puts the padding after the reversed tokens again, and
 * its output is reversed back. Both directions are therefore padding invariant without packing.
 *
 * <p>Initialisation: per-gate Glorot uniform weights, zero biases except a forget-gate bias of 1 on
 * {@code b_ih} (see {@link LstmInitializers}).
 */
public final class BidirectionalLstmLayer extends AbstractBlock {

  private static final byte VERSION = 1;
  private static final String NAME = "BidirectionalLstmLayer";
  private static final int GATES = 4;

  private final int hidden;
  private final Parameter[] forward;
  private final Parameter[] backward;

  /**
   * Creates the layer; the input width is taken from the input shape at initialisation.
   *
   * @param hidden state width {@code h} of each direction
   */
  public BidirectionalLstmLayer(int hidden) {
    super(VERSION);
    this.hidden = EncoderFormat.positive(NAME, "hidden", hidden);
    this.forward = declareDirection("fwd");
    this.backward = declareDirection("bwd");
  }

  private Parameter[] declareDirection(String prefix) {
    Initializer weights = LstmInitializers.gateGlorot(hidden);
    return new Parameter[] {
      addParameter(parameter(prefix + "_w_ih", Parameter.Type.WEIGHT, weights)),
      addParameter(parameter(prefix + "_w_hh", Parameter.Type.WEIGHT, weights)),
      addParameter(
          parameter(prefix + "_b_ih", Parameter.Type.BIAS, LstmInitializers.forgetGateOne(hidden))),
      addParameter(parameter(prefix + "_b_hh", Parameter.Type.BIAS, Initializer.ZEROS))
    };
  }

  private static Parameter parameter(String name, Parameter.Type type, Initializer initializer) {
    return Parameter.builder().setName(name).setType(type).optInitializer(initializer).build();
  }

  /** The state width of one direction. */
  public int hidden() {
    return hidden;
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore parameterStore,
      NDList inputs,
      boolean training,
      PairList<String, Object> params) {
    NDArray values = inputs.get(0);
    PaddingMask mask = PaddingMask.of(inputs.get(1), values.getShape().get(1));
    return new NDList(
        forwardMasked(parameterStore, values, mask, initialState(values), training, true));
  }

  /**
   * The layer's forward pass with a batch's padding layout and initial state built by the caller,
   * so that stacked layers share them.
   *
   * @param values {@code [B, T, in]}
   * @param mask the padding layout of the batch
   * @param zeroState {@link #initialState} of the batch, used as both initial states of both
   *     directions
   * @param timeAligned whether the backward states are put back in time order; when false they
   *     stay reversed within each sequence's length (the padding stays in place), which saves two
   *     operations and suits only a consumer that ignores order, such as a masked max over time
   * @return {@code [B, T, 2 * hidden]}
   */
  NDArray forwardMasked(
      ParameterStore parameterStore,
      NDArray values,
      PaddingMask mask,
      NDArray zeroState,
      boolean training,
      boolean timeAligned) {
    NDArray forwardStates = run(parameterStore, forward, values, zeroState, training);
    NDArray reversedInput = mask.reverseWithinLength(values);
    NDArray reversedStates = run(parameterStore, backward, reversedInput, zeroState, training);
    NDArray backwardStates =
        timeAligned ? mask.reverseWithinLength(reversedStates) : reversedStates;
    return NDArrays.concat(new NDList(forwardStates, backwardStates), 2);
  }

  /** The zero initial state {@code [1, B, hidden]} for a batch {@code values [B, T, in]}. */
  NDArray initialState(NDArray values) {
    Shape stateShape = new Shape(1, values.getShape().get(0), hidden);
    return values.getManager().zeros(stateShape, values.getDataType(), values.getDevice());
  }

  /** One direction over {@code [B, T, in]} from a zero state; returns {@code [B, T, h]}. */
  private NDArray run(
      ParameterStore parameterStore,
      Parameter[] direction,
      NDArray input,
      NDArray zeroState,
      boolean training) {
    NDList weights = new NDList(direction.length);
    for (Parameter parameter : direction) {
      weights.add(parameterStore.getValue(parameter, input.getDevice(), training));
    }
    return LstmKernelChoice.forDevice(input.getDevice()).run(input, weights, zeroState, training);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape values = inputShapes[0];
    return new Shape[] {new Shape(values.get(0), values.get(1), 2L * hidden)};
  }

  @Override
  protected void beforeInitialize(Shape... inputShapes) {
    super.beforeInitialize(inputShapes);
    EncoderFormat.checkInputShapes(NAME, inputShapes);
  }

  @Override
  public void prepare(Shape[] inputShapes) {
    long in = inputShapes[0].get(2);
    for (Parameter[] direction : new Parameter[][] {forward, backward}) {
      direction[0].setShape(new Shape(GATES * hidden, in));
      direction[1].setShape(new Shape(GATES * hidden, hidden));
      direction[2].setShape(new Shape(GATES * hidden));
      direction[3].setShape(new Shape(GATES * hidden));
    }
  }

  @Override
  protected void saveMetadata(DataOutputStream os) throws IOException {
    saveInputShapes(os);
    os.writeInt(hidden);
  }

  @Override
  public void loadMetadata(byte loadVersion, DataInputStream is)
      throws IOException, MalformedModelException {
    EncoderFormat.checkVersion(NAME, loadVersion, VERSION);
    readInputShapes(is);
    EncoderFormat.checkSetting(NAME, "hidden", hidden, is);
  }
}
