package dev.o2v.core.data;

import dev.o2v.core.hp.Hyperparameters;
import dev.o2v.core.hp.OutputLayer;
import java.util.Locale;

/**
 * What a record must look like: vocabulary size and truncation length per side, the label kind
 * and which sides are required.
 *
 * @param vocabSize0 ids of {@code in0} must be in {@code [0, vocabSize0)}
 * @param maxSeqLen0 {@code in0} is truncated to its first {@code maxSeqLen0} ids
 * @param vocabSize1 ids of {@code in1} must be in {@code [0, vocabSize1)}
 * @param maxSeqLen1 {@code in1} is truncated to its first {@code maxSeqLen1} ids
 * @param labelKind class index, regression target or ignored
 * @param numClasses number of classes when {@code labelKind} is {@link LabelKind#CLASS}, else 0
 * @param sides which of {@code in0}/{@code in1} a record must carry
 * @param zeroIds what id 0 means: under {@link ZeroIdRule#PADDING} the reader drops zeros after
 *     truncation, and a schema with {@link SidePolicy#BOTH_REQUIRED} discards (and counts) a
 *     record that has a side with no id left
 */
public record DataSchema(
    int vocabSize0,
    int maxSeqLen0,
    int vocabSize1,
    int maxSeqLen1,
    LabelKind labelKind,
    int numClasses,
    SidePolicy sides,
    ZeroIdRule zeroIds) {

  /** A schema in which id 0 is padding ({@link ZeroIdRule#PADDING}). */
  public DataSchema(
      int vocabSize0,
      int maxSeqLen0,
      int vocabSize1,
      int maxSeqLen1,
      LabelKind labelKind,
      int numClasses,
      SidePolicy sides) {
    this(vocabSize0, maxSeqLen0, vocabSize1, maxSeqLen1, labelKind, numClasses, sides,
        ZeroIdRule.PADDING);
  }

  /** Checks the invariants; these are programming errors, not data errors. */
  public DataSchema {
    requirePositive("vocabSize0", vocabSize0);
    requirePositive("maxSeqLen0", maxSeqLen0);
    requirePositive("vocabSize1", vocabSize1);
    requirePositive("maxSeqLen1", maxSeqLen1);
    if (labelKind == null || sides == null || zeroIds == null) {
      throw new IllegalArgumentException("labelKind, sides and zeroIds must not be null");
    }
    if (labelKind == LabelKind.CLASS && numClasses < 2) {
      throw new IllegalArgumentException("numClasses must be >= 2 for class labels, found "
          + numClasses);
    }
    if (labelKind != LabelKind.CLASS && numClasses != 0) {
      throw new IllegalArgumentException("numClasses must be 0 unless labels are classes, found "
          + numClasses);
    }
  }

  /** Training, validation and test data: both sides and a label of the head's kind. */
  public static DataSchema forTraining(Hyperparameters hp) {
    boolean softmax = hp.outputLayer() == OutputLayer.SOFTMAX;
    return new DataSchema(
        hp.enc0().vocabSize(),
        hp.enc0().maxSeqLen(),
        hp.enc1().vocabSize(),
        hp.enc1().maxSeqLen(),
        softmax ? LabelKind.CLASS : LabelKind.REGRESSION,
        softmax ? hp.numClasses() : 0,
        SidePolicy.BOTH_REQUIRED);
  }

  /** Inference requests: at least one side, labels ignored. */
  public static DataSchema forInference(Hyperparameters hp) {
    return new DataSchema(
        hp.enc0().vocabSize(),
        hp.enc0().maxSeqLen(),
        hp.enc1().vocabSize(),
        hp.enc1().maxSeqLen(),
        LabelKind.IGNORED,
        0,
        SidePolicy.AT_LEAST_ONE);
  }

  /** The same schema with other truncation lengths (e.g. {@code infer_max_seqlens}). */
  public DataSchema withMaxSeqLens(int newMaxSeqLen0, int newMaxSeqLen1) {
    return new DataSchema(
        vocabSize0, newMaxSeqLen0, vocabSize1, newMaxSeqLen1, labelKind, numClasses, sides,
        zeroIds);
  }

  /** The same schema with another meaning of id 0 (e.g. that of an older model). */
  public DataSchema withZeroIds(ZeroIdRule rule) {
    return new DataSchema(
        vocabSize0, maxSeqLen0, vocabSize1, maxSeqLen1, labelKind, numClasses, sides, rule);
  }

  /**
   * True when a record with a side the network would see as empty is discarded and counted
   * rather than returned: training, validation and test data, where such a record carries no
   * pair to learn from (SageMaker discards them too).
   */
  public boolean discardsEmptySides() {
    return sides == SidePolicy.BOTH_REQUIRED;
  }

  /**
   * True when a record whose sides the network sees with {@code visible0} and {@code visible1}
   * ids is discarded ({@link #discardsEmptySides()} and a side has none).
   */
  public boolean discards(int visible0, int visible1) {
    return discardsEmptySides() && (visible0 == 0 || visible1 == 0);
  }

  /** Vocabulary size of side 0 or 1. */
  public int vocabSize(int side) {
    return checkSide(side) == 0 ? vocabSize0 : vocabSize1;
  }

  /** Truncation length of side 0 or 1. */
  public int maxSeqLen(int side) {
    return checkSide(side) == 0 ? maxSeqLen0 : maxSeqLen1;
  }

  /** The field name of a side: {@code in0} or {@code in1}. */
  public static String fieldName(int side) {
    return checkSide(side) == 0 ? "in0" : "in1";
  }

  static int checkSide(int side) {
    if (side != 0 && side != 1) {
      throw new IllegalArgumentException("side must be 0 or 1, found " + side);
    }
    return side;
  }

  private static void requirePositive(String name, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(
          String.format(Locale.ROOT, "%s must be >= 1, found %d", name, value));
    }
  }
}
