package dev.o2v.train.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import dev.o2v.core.data.PairDataset;
import dev.o2v.core.data.TokenRecurrence;
import dev.o2v.core.hp.EncoderSpec;
import dev.o2v.core.hp.Hyperparameters;
import dev.o2v.core.hp.Network;
import dev.o2v.encoders.Object2VecBlock;
import dev.o2v.train.runtime.NoGradScope;
import java.util.List;

/**
 * The initialisation of networks with a {@code bilstm} encoder, a narrow {@code
 * pooled_embedding} encoder, or an {@code hcnn} encoder over rarely recurring tokens: PyTorch's
 * layer defaults instead of the small token vectors, Glorot gates and He normal dense layers the
 * blocks draw for themselves.
 *
 * <p>Measured on SICK entailment and STS-B relatedness against the same network in PyTorch
 * (benchmarks README, "Quality"; three seeds each):
 *
 * <ul>
 *   <li>bilstm with the blocks' own initialisation reached 0.650 accuracy and 0.199 Spearman, the
 *       PyTorch reference 0.704 and 0.294; with unit-variance token vectors, LSTM weights and
 *       biases uniform in ±1/√h and dense layers uniform in ±1/√fan_in it reached 0.705 and 0.309
 *       (two seeds). Large token vectors into small gates only help together.
 *   <li>pooled_embedding at enc_dim 128 with N(0, 1/√D) tables and He normal dense layers reached
 *       0.799 accuracy but only 0.648 Spearman (reference 0.669): on STS-B most words are rare,
 *       and a rare word shared by both sentences is only recognised through its random vector
 *       when that vector is large. With this rule it reached 0.787 and 0.673. At enc_dim 1024 (the
 *       MovieLens-shaped rating task, every user and item a one-token sequence) the same rule
 *       raised the validation error from 1.24 to 1.78 σ², so wide pooled encoders keep their
 *       small vectors: below {@value #WIDE_POOLED} dimensions is narrow (the boundary lies
 *       between the two measured widths, 128 and 1024).
 *   <li>hcnn with its own draws (N(0, 1/√D) tables, He normal dense layers) reached 0.645
 *       accuracy and 0.224 Spearman (reference 0.639 and 0.253), with PyTorch's defaults
 *       throughout 0.637 and 0.260. On the topic task of the encoder tests, whose tokens have to
 *       be learned, unit tables dropped it from 0.83 to 0.63. What tells the data apart is how
 *       often a token recurs in the training split ({@link TokenRecurrence}): 11.7 times on
 *       STS-B, 40.1 on SICK, 93 and 317 on the topic task at vocabularies of 1,000 and 300
 *       (small vectors ahead there: 0.58 against 0.54, 0.83 against 0.63). hcnn over tokens
 *       recurring less than {@value #RARE_TOKENS} times is covered (the boundary lies between
 *       STS-B and SICK): STS-B 0.260 in the suite's settings and 0.302 in those of AWS's
 *       sentence-similarity notebook (its own draws: 0.281); SICK and the topic task keep the
 *       blocks' draws. Unit tables alone, with He normal dense layers, lost in the notebook's
 *       settings (linear MLP 2 × 512): the two only help together, as for bilstm. hcnn's
 *       convolutions start at PyTorch's default either way ({@code HcnnEncoder}).
 * </ul>
 *
 * <p>The rule, drawn from the same seeded engine generator as the blocks' own draws (token tables
 * in place of the block's draw, everything else after the blocks initialised themselves):
 *
 * <ul>
 *   <li>a token table read only by covered encoders: N(0, 1);
 *   <li>every LSTM weight and bias of a bilstm encoder: uniform in ±1/√h;
 *   <li>a bilstm encoder's projection (odd enc_dim), the MLP and the head: uniform in ±1/√fan_in
 *       for weights and biases alike (the regression head's bias is set afterwards to the labels'
 *       mean, as for every network).
 * </ul>
 */
public final class LayerDefaultInitialisation {

  /** pooled_embedding encoders at least this wide keep their N(0, 1/√D) token vectors. */
  public static final int WIDE_POOLED = 512;

  /**
   * hcnn encoders over training tokens that recur fewer times than this on average (see {@link
   * TokenRecurrence}) get the layer defaults; at this and above they keep the blocks' own draws.
   */
  public static final double RARE_TOKENS = 20;

  /** The rule's token vectors: N(0, 1), PyTorch's default for an embedding. */
  private static final Initializer UNIT_NORMAL = new NormalInitializer(1f);

  private LayerDefaultInitialisation() {}

  /**
   * What the rule needs to know of {@code train}'s tokens for {@code hp}: their recurrence when an
   * encoder is hcnn, the only network it reads it for, and {@link TokenRecurrence#UNKNOWN}
   * otherwise, without a pass over the training ids.
   */
  public static TokenRecurrence recurrenceFor(Hyperparameters hp, PairDataset train) {
    boolean hcnn = hp.enc0().network() == Network.HCNN || hp.enc1().network() == Network.HCNN;
    return hcnn ? TokenRecurrence.of(train, hp.tiedTokenEmbedding()) : TokenRecurrence.UNKNOWN;
  }

  /**
   * Whether {@code hp} has an encoder the rule covers for training data whose tokens recur as
   * {@code recurrence} says, so that the rule applies.
   */
  public static boolean appliesTo(Hyperparameters hp, TokenRecurrence recurrence) {
    return covers(hp, 0, recurrence) || covers(hp, 1, recurrence);
  }

  /**
   * Gives the token tables the rule covers its N(0, 1) as their initializer; called before the
   * block initialises itself, so that such a table is drawn once. Drawn by the block and then
   * again by the rule, a table of 3,000,000 rows × 128 took two draws of about four seconds each
   * and a second copy of its 1.5 GB.
   */
  static void chooseTableDraws(
      Object2VecBlock block, Hyperparameters hp, TokenRecurrence recurrence) {
    boolean tied = block.tiedTokenEmbedding();
    for (int side = 0; side < (tied ? 1 : 2); side++) {
      boolean onlyCovered = tied
          ? covers(hp, 0, recurrence) && covers(hp, 1, recurrence)
          : covers(hp, side, recurrence);
      if (onlyCovered) {
        block.tokenEmbedding(side).table().setInitializer(UNIT_NORMAL);
      }
    }
  }

  /**
   * Redraws {@code block}'s other parameters by the rule when it {@link #appliesTo applies}; the
   * token tables got theirs from {@link #chooseTableDraws}.
   */
  static void apply(
      Object2VecBlock block, Hyperparameters hp, TokenRecurrence recurrence, NDManager manager) {
    if (!appliesTo(hp, recurrence)) {
      return;
    }
    try (NoGradScope noGrad = NoGradScope.enter()) {
      for (int side = 0; side < 2; side++) {
        if (!isBilstm(hp.encoder(side))) {
          continue;
        }
        PairList<String, Parameter> params = block.encoder(side).getParameters();
        for (Pair<String, Parameter> p : params) {
          if (p.getKey().contains("lstm")) {
            long hidden = shapeOf(p.getValue()).get(0) / 4;
            uniform(p.getValue(), 1.0 / Math.sqrt(hidden), manager);
          } else {
            fanInUniform(params, p.getKey(), p.getValue(), manager);
          }
        }
      }
      for (PairList<String, Parameter> params :
          List.of(block.mlp().getParameters(), block.head().getParameters())) {
        for (Pair<String, Parameter> p : params) {
          fanInUniform(params, p.getKey(), p.getValue(), manager);
        }
      }
    }
  }

  /**
   * Whether the rule covers encoder {@code side}: every bilstm, pooled_embedding below the width,
   * and hcnn when the tokens of the table it reads recur less than {@link #RARE_TOKENS} times (an
   * unknown, NaN, recurrence leaves hcnn uncovered).
   */
  static boolean covers(Hyperparameters hp, int side, TokenRecurrence recurrence) {
    EncoderSpec spec = hp.encoder(side);
    double recurs = recurrence.of(hp.tiedTokenEmbedding() ? 0 : side);
    return isBilstm(spec)
        || (spec.network() == Network.POOLED_EMBEDDING && hp.encDim() < WIDE_POOLED)
        || (spec.network() == Network.HCNN && recurs < RARE_TOKENS);
  }

  private static boolean isBilstm(EncoderSpec spec) {
    return spec.network() == Network.BILSTM;
  }

  /**
   * Redraws {@code parameter} uniform in ±1/√fan_in (PyTorch's default for linear and convolution
   * layers), where a bias takes the fan-in of the weight beside it in {@code params}.
   */
  public static void fanInUniform(
      PairList<String, Parameter> params, String name, Parameter parameter, NDManager manager) {
    Shape weightShape = shapeOf(parameter);
    if (name.endsWith("bias")) {
      String weightName = name.substring(0, name.length() - "bias".length()) + "weight";
      weightShape = shapeOf(params.get(weightName));
    }
    long fanIn = weightShape.size() / weightShape.get(0);
    uniform(parameter, 1.0 / Math.sqrt(fanIn), manager);
  }

  /** Redraws {@code parameter} uniform in ±{@code bound}. */
  public static void uniform(Parameter parameter, double bound, NDManager manager) {
    overwrite(parameter, manager.randomUniform(
        (float) -bound, (float) bound, shapeOf(parameter), DataType.FLOAT32));
  }

  /**
   * Copies {@code values} into {@code parameter}'s array and frees them. The copy is one slice
   * assignment inside the engine: {@code NDArray.copyTo} passes the bytes through a direct buffer
   * as large as the array, which for a table of 3,000,000 rows cost seconds of fresh memory.
   */
  public static void overwrite(Parameter parameter, NDArray values) {
    parameter.getArray().set(new NDIndex(":"), values);
    values.close();
  }

  private static Shape shapeOf(Parameter parameter) {
    return parameter.getArray().getShape();
  }
}
