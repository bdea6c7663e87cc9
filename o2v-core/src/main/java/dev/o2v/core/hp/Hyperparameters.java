package dev.o2v.core.hp;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * An immutable, validated and fully resolved set of Object2Vec hyperparameters.
 *
 * <p>Instances come from the hyperparameter parser, which applies the catalog's defaults and the
 * cross-key rules; every value here is final (no "auto", no "enc0" placeholders).
 *
 * @param encDim width of each encoder's output
 * @param enc0 settings of encoder 0
 * @param enc1 settings of encoder 1 (a copy of enc0's when {@code enc1IsEnc0})
 * @param enc1IsEnc0 true when {@code enc1_network=enc0}: same structure, own weights
 * @param comparators comparator operators, in list order
 * @param mlpLayers number of MLP layers (0..10)
 * @param mlpDim width of each MLP layer
 * @param mlpActivation activation after each MLP layer
 * @param outputLayer softmax classification or mean squared error regression
 * @param numClasses number of classes (softmax only)
 * @param dropout dropout probability in [0, 1]
 * @param tiedTokenEmbedding both encoders share one token table
 * @param embeddingStorage dense or lazy row-sparse embedding updates
 * @param optimizer optimizer kind
 * @param learningRate learning rate
 * @param weightDecay L2 weight decay
 * @param miniBatchSize records per optimizer step
 * @param epochs number of passes over the training data
 * @param earlyStoppingPatience epochs without improvement before stopping
 * @param earlyStoppingTolerance absolute loss reduction that counts as improvement
 * @param negativeSamplingRate negative records generated per training record
 * @param bucketWidth max length difference within a bucket; 0 disables bucketing
 */
public record Hyperparameters(
    int encDim,
    EncoderSpec enc0,
    EncoderSpec enc1,
    boolean enc1IsEnc0,
    List<ComparatorOp> comparators,
    int mlpLayers,
    int mlpDim,
    MlpActivation mlpActivation,
    OutputLayer outputLayer,
    int numClasses,
    double dropout,
    boolean tiedTokenEmbedding,
    EmbeddingStorage embeddingStorage,
    OptimizerKind optimizer,
    double learningRate,
    double weightDecay,
    int miniBatchSize,
    int epochs,
    int earlyStoppingPatience,
    double earlyStoppingTolerance,
    int negativeSamplingRate,
    int bucketWidth) {

  /** Defensive copy so the value stays immutable. */
  public Hyperparameters {
    comparators = List.copyOf(comparators);
  }

  /**
   * Parses and validates a raw map of SageMaker-style values; see {@link HyperparameterParser}.
   *
   * @throws HyperparameterException listing every violation
   */
  public static Hyperparameters parse(Map<String, ?> raw) {
    return HyperparameterCodec.parse(raw);
  }

  /** Parses a JSON object given as text; see {@link HyperparameterCodec#parseJson(String)}. */
  public static Hyperparameters parseJson(String json) {
    return HyperparameterCodec.parseJson(json);
  }

  /** Parses the JSON object in {@code file}; see {@link HyperparameterCodec#parseFile(Path)}. */
  public static Hyperparameters parseFile(Path file) {
    return HyperparameterCodec.parseFile(file);
  }

  /** Every key with its resolved value, sorted; parsing it back gives an equal value. */
  public SortedMap<String, String> toCanonicalMap() {
    return HyperparameterCodec.toCanonicalMap(this);
  }

  /** The settings of encoder {@code side} (0 or 1). */
  public EncoderSpec encoder(int side) {
    if (side != 0 && side != 1) {
      throw new IllegalArgumentException("side must be 0 or 1, found " + side);
    }
    return side == 0 ? enc0 : enc1;
  }

  /** Width of the comparator's output vector. */
  public int comparatorWidth() {
    return comparators.stream().mapToInt(op -> op.width(encDim)).sum();
  }

  /** Elements of the token tables: one table when tied, both encoders' otherwise. */
  public long tokenTableElements() {
    long elements = (long) enc0.vocabSize() * enc0.tokenEmbeddingDim();
    if (!tiedTokenEmbedding) {
      elements += (long) enc1.vocabSize() * enc1.tokenEmbeddingDim();
    }
    return elements;
  }

  /** Width of the head's output: {@code numClasses} for softmax, 1 for regression. */
  public int outputWidth() {
    return outputLayer == OutputLayer.SOFTMAX ? numClasses : 1;
  }
}
