package dev.o2v.benchmarks.quality;

import static dev.o2v.train.model.LayerDefaultInitialisation.fanInUniform;
import static dev.o2v.train.model.LayerDefaultInitialisation.overwrite;
import static dev.o2v.train.model.LayerDefaultInitialisation.uniform;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import dev.o2v.encoders.Object2VecBlock;
import java.util.Arrays;
import java.util.Locale;

/**
 * One-factor initialisation experiments: after o2v has initialised a network its own way, one
 * group of parameters is redrawn the way PyTorch's layers initialise themselves by default.
 *
 * <p>PyTorch's defaults, restated: {@code nn.Embedding} N(0, 1); {@code nn.Linear} and {@code
 * nn.Conv1d} weights and biases uniform in ±1/√fan_in (fan_in = inputs × kernel width); {@code
 * nn.LSTM} every weight and bias uniform in ±1/√hidden.
 */
public enum InitVariant {
  /** o2v's initialisation as shipped. */
  SHIPPED("o2v as shipped"),
  /** Token tables N(0, 1). */
  EMBEDDINGS_UNIT("token tables N(0,1)"),
  /** Token tables N(0, 1/√D), the small vectors o2v draws for pooled_embedding. */
  EMBEDDINGS_SMALL("token tables N(0,1/sqrt(D))"),
  /** hcnn convolutions at PyTorch's default. */
  CONV_PYTORCH("convolutions PyTorch default"),
  /** hcnn convolutions He normal with zero biases, as o2v drew them before. */
  CONV_HE("convolutions He normal, zero biases"),
  /** bilstm gates at PyTorch's default. */
  LSTM_PYTORCH("LSTM PyTorch default"),
  /** MLP, head and projection at PyTorch's default. */
  DENSE_PYTORCH("dense layers PyTorch default"),
  /** Token tables N(0, 1) and the encoder's own layers at PyTorch's default; MLP and head not. */
  SEQUENCE_PYTORCH("token tables and encoder PyTorch default"),
  /** Every parameter at PyTorch's default. */
  ALL_PYTORCH("everything PyTorch default");

  private final String description;

  InitVariant(String description) {
    this.description = description;
  }

  /** A short description for the report. */
  public String description() {
    return description;
  }

  /** Parses a name such as {@code conv_pytorch} (case-insensitive). */
  public static InitVariant parse(String name) {
    try {
      return valueOf(name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "init variant must be one of " + Arrays.toString(values()) + ", found " + name, e);
    }
  }

  /** Redraws this variant's parameters of an initialised {@code block}. */
  public void apply(Object2VecBlock block, NDManager manager) {
    boolean all = this == ALL_PYTORCH;
    boolean sequence = all || this == SEQUENCE_PYTORCH;
    for (int side = 0; side < (block.tiedTokenEmbedding() ? 1 : 2); side++) {
      Parameter table = block.tokenEmbedding(side).table();
      if (sequence || this == EMBEDDINGS_UNIT) {
        overwrite(table, manager.randomNormal(0f, 1f, shapeOf(table), DataType.FLOAT32));
      } else if (this == EMBEDDINGS_SMALL) {
        float std = (float) (1.0 / Math.sqrt(shapeOf(table).get(1)));
        overwrite(table, manager.randomNormal(0f, std, shapeOf(table), DataType.FLOAT32));
      }
    }
    for (int side = 0; side < 2; side++) {
      PairList<String, Parameter> params = block.encoder(side).getParameters();
      for (Pair<String, Parameter> p : params) {
        String name = p.getKey();
        if (name.contains("lstm")) {
          if (sequence || this == LSTM_PYTORCH) {
            long hidden = shapeOf(p.getValue()).get(0) / 4;
            uniform(p.getValue(), 1.0 / Math.sqrt(hidden), manager);
          }
        } else if (name.contains("conv")) {
          if (sequence || this == CONV_PYTORCH) {
            fanInUniform(params, name, p.getValue(), manager);
          } else if (this == CONV_HE) {
            heNormalOrZero(name, p.getValue(), manager);
          }
        } else if (all || this == DENSE_PYTORCH) {
          fanInUniform(params, name, p.getValue(), manager);
        }
      }
    }
    if (all || this == DENSE_PYTORCH) {
      for (PairList<String, Parameter> params :
          Arrays.asList(block.mlp().getParameters(), block.head().getParameters())) {
        for (Pair<String, Parameter> p : params) {
          fanInUniform(params, p.getKey(), p.getValue(), manager);
        }
      }
    }
  }

  /** He normal, std √(2/fan_in), for a weight; zeros for a bias. */
  private static void heNormalOrZero(String name, Parameter parameter, NDManager manager) {
    Shape shape = shapeOf(parameter);
    if (name.endsWith("bias")) {
      overwrite(parameter, manager.zeros(shape, DataType.FLOAT32));
    } else {
      float std = (float) Math.sqrt(2.0 * shape.get(0) / shape.size());
      overwrite(parameter, manager.randomNormal(0f, std, shape, DataType.FLOAT32));
    }
  }

  private static Shape shapeOf(Parameter parameter) {
    return parameter.getArray().getShape();
  }
}
