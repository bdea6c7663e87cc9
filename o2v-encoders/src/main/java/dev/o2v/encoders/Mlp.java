package dev.o2v.encoders;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.training.initializer.XavierInitializer.FactorType;
import ai.djl.training.initializer.XavierInitializer.RandomType;
import ai.djl.util.PairList;
import dev.o2v.core.hp.MlpActivation;
import java.util.ArrayList;
import java.util.List;

/**
 * The multilayer perceptron between comparator and head: {@code layers} times [Linear(units) →
 * activation → dropout].
 *
 * <p>Input {@code NDList([B, in])}, output {@code NDList([B, units])}, or the input unchanged when
 * {@code layers} is 0.
 *
 * <p>Initialisation, chosen per activation: ReLU layers use He normal (std sqrt(2/fan_in)), which
 * keeps the forward variance of rectified units; tanh and identity layers use Glorot uniform (bound
 * sqrt(6/(fan_in+fan_out))), which keeps tanh in its linear range at the start. Biases are zero.
 */
public final class Mlp extends AbstractBlock {

  private static final byte VERSION = 1;

  private final int units;
  private final MlpActivation activation;
  private final float dropout;
  private final List<Linear> dense = new ArrayList<>();
  private final List<Dropout> dropouts = new ArrayList<>();

  private Mlp(Builder builder) {
    super(VERSION);
    this.units = builder.units;
    this.activation = builder.activation;
    this.dropout = builder.dropout;
    for (int i = 0; i < builder.layers; i++) {
      Linear linear = addChildBlock("dense" + i, Linear.builder().setUnits(units).build());
      linear.setInitializer(denseInitializer(activation), Parameter.Type.WEIGHT);
      linear.setInitializer(Initializer.ZEROS, Parameter.Type.BIAS);
      dense.add(linear);
      dropouts.add(
          addChildBlock("dropout" + i, Dropout.builder().optRate(builder.dropout).build()));
    }
  }

  /** A builder; layers, units and activation are required. */
  public static Builder builder() {
    return new Builder();
  }

  /** The weight initialiser for a dense layer followed by {@code activation}. */
  static Initializer denseInitializer(MlpActivation activation) {
    return activation == MlpActivation.RELU
        ? new XavierInitializer(RandomType.GAUSSIAN, FactorType.IN, 2f)
        : new XavierInitializer(RandomType.UNIFORM, FactorType.AVG, 3f);
  }

  /** Number of layers. */
  public int layers() {
    return dense.size();
  }

  /** Width of each layer. */
  public int units() {
    return units;
  }

  /** The activation after each layer. */
  public MlpActivation activation() {
    return activation;
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore parameterStore,
      NDList inputs,
      boolean training,
      PairList<String, Object> params) {
    NDList x = inputs;
    for (int i = 0; i < dense.size(); i++) {
      x = TransposedDenseProduct.forward(dense.get(i), parameterStore, x, training);
      x = new NDList(activate(x.head()));
      if (training && dropout > 0f) { // the identity otherwise: skip its native call
        x = dropouts.get(i).forward(parameterStore, x, true);
      }
    }
    return x;
  }

  private NDArray activate(NDArray x) {
    return switch (activation) {
      case TANH -> Activation.tanh(x);
      case RELU -> Activation.relu(x);
      case LINEAR -> x;
    };
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    Shape shape = inputShapes[0];
    for (int i = 0; i < dense.size(); i++) {
      dense.get(i).initialize(manager, dataType, shape);
      shape = dense.get(i).getOutputShapes(new Shape[] {shape})[0];
      dropouts.get(i).initialize(manager, dataType, shape);
    }
  }

  /** {@inheritDoc} {@code [B, in]} → {@code [B, units]} ({@code [B, in]} with no layers). */
  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    if (dense.isEmpty()) {
      return inputShapes;
    }
    return new Shape[] {new Shape(inputShapes[0].get(0), units)};
  }

  /** Builds an {@link Mlp}. */
  public static final class Builder {
    private int layers = -1;
    private int units;
    private MlpActivation activation;
    private float dropout;

    private Builder() {}

    /** Number of layers, 0..10. */
    public Builder setLayers(int layers) {
      this.layers = layers;
      return this;
    }

    /** Width of every layer, at least 1. */
    public Builder setUnits(int units) {
      this.units = units;
      return this;
    }

    /** Activation after each layer. */
    public Builder setActivation(MlpActivation activation) {
      this.activation = activation;
      return this;
    }

    /** Dropout probability after each activation, in [0, 1]; default 0. */
    public Builder optDropout(float dropout) {
      this.dropout = dropout;
      return this;
    }

    /** Checks the settings and builds the block. */
    public Mlp build() {
      if (layers < 0 || layers > 10) {
        throw new IllegalArgumentException("mlp layers must be in [0, 10], found " + layers);
      }
      if (layers > 0 && units < 1) {
        throw new IllegalArgumentException("mlp dim must be >= 1, found " + units);
      }
      if (activation == null) {
        throw new IllegalArgumentException("mlp activation must be set");
      }
      if (!(dropout >= 0f && dropout <= 1f)) {
        throw new IllegalArgumentException("dropout must be in [0, 1], found " + dropout);
      }
      return new Mlp(this);
    }
  }
}
