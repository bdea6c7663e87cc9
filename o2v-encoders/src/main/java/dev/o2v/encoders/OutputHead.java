package dev.o2v.encoders;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;
import dev.o2v.core.hp.MlpActivation;
import dev.o2v.core.hp.OutputLayer;

/**
 * The last layer: Linear({@code numClasses}) giving logits for softmax, or Linear(1) giving the
 * regression value.
 *
 * <p>Input {@code NDList([B, in])}, output {@code NDList([B, C])} with C = {@code numClasses} or 1.
 * The forward pass returns raw logits / values (the loss applies its own log-softmax); {@link
 * #scores} turns them into what inference reports. Glorot uniform weights, zero bias; a
 * regression head's bias is then set to the training labels' mean by {@link #startAt}.
 */
public final class OutputHead extends AbstractBlock {

  private static final byte VERSION = 1;

  private final OutputLayer kind;
  private final int width;
  private final Linear linear;

  /**
   * Creates a head.
   *
   * @param kind softmax classification or mean squared error regression
   * @param numClasses number of classes, at least 2 for softmax; ignored for regression
   */
  public OutputHead(OutputLayer kind, int numClasses) {
    super(VERSION);
    if (kind == OutputLayer.SOFTMAX && numClasses < 2) {
      throw new IllegalArgumentException("num classes must be >= 2, found " + numClasses);
    }
    this.kind = kind;
    this.width = kind == OutputLayer.SOFTMAX ? numClasses : 1;
    this.linear = addChildBlock("linear", Linear.builder().setUnits(width).build());
    linear.setInitializer(Mlp.denseInitializer(MlpActivation.LINEAR), Parameter.Type.WEIGHT);
    linear.setInitializer(Initializer.ZEROS, Parameter.Type.BIAS);
  }

  /** Softmax or regression. */
  public OutputLayer kind() {
    return kind;
  }

  /** Output width C. */
  public int width() {
    return width;
  }

  /**
   * Sets a regression head's bias so the untrained model predicts {@code value} (the training
   * labels' mean). Ratings centred far from 0 (e.g. 3.5 on a 1–5 scale) would otherwise take Adam
   * thousands of steps of at most {@code learning_rate} each on this one bias, while the rest of
   * the network bends to produce the offset and starts fitting noise. Call after initialisation.
   *
   * @throws IllegalStateException for a softmax head or before initialisation
   */
  public void startAt(float value) {
    if (kind != OutputLayer.MEAN_SQUARED_ERROR) {
      throw new IllegalStateException("only a regression head has a starting value");
    }
    NDArray bias = linear.getParameters().get("bias").getArray();
    float[] values = new float[Math.toIntExact(bias.size())];
    java.util.Arrays.fill(values, value);
    bias.set(values);
  }

  /** Turns head outputs {@code [B, C]} into scores: class probabilities, or the values as is. */
  public NDArray scores(NDArray logits) {
    return scores(kind, logits);
  }

  /** Turns head outputs {@code [B, C]} of a {@code kind} head into scores. */
  public static NDArray scores(OutputLayer kind, NDArray logits) {
    return kind == OutputLayer.SOFTMAX ? logits.softmax(1) : logits;
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore parameterStore,
      NDList inputs,
      boolean training,
      PairList<String, Object> params) {
    return linear.forward(parameterStore, inputs, training);
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    linear.initialize(manager, dataType, inputShapes);
  }

  /** {@inheritDoc} {@code [B, in]} → {@code [B, C]}. */
  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {new Shape(inputShapes[0].get(0), width)};
  }
}
