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
 */
public record DataSchema(
    int vocabSize0,
    int maxSeqLen0,
    int vocabSize1,
    int maxSeqLen1,
    LabelKind labelKind,
    int numClasses,
    SidePolicy sides) {

  /** Checks the invariants; these are programming errors, not data errors. */
  public DataSchema {
    requirePositive("vocabSize0", vocabSize0);
    requirePositive("maxSeqLen0", maxSeqLen0);
    requirePositive("vocabSize1", vocabSize1);
    requirePositive("maxSeqLen1", maxSeqLen1);
    if (labelKind == null || sides == null) {
      throw new IllegalArgumentException("labelKind and sides must not be null");
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
        vocabSize0, newMaxSeqLen0, vocabSize1, newMaxSeqLen1, labelKind, numClasses, sides);
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
