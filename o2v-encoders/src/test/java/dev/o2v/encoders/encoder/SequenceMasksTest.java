package dev.o2v.encoders.encoder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("engine")
class SequenceMasksTest {

  private static final float NAN = Float.NaN;
  private static final float INF = Float.POSITIVE_INFINITY;

  /** Two sequences of lengths 2 and 3, D = 2, with NaN and infinity in the padding. */
  private static NDArray values(NDManager manager) {
    float[] data = {
      // sequence 0, length 2: two tokens then one padding row
      1,
      -2,
      3,
      -4,
      NAN,
      INF,
      // sequence 1, length 3
      -1,
      5,
      2,
      0,
      6,
      -3
    };
    return manager.create(data, new Shape(2, 3, 2));
  }

  @Test
  void validMaskMarksPositionsBeforeEachLength() {
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray mask = SequenceMasks.validMask(manager.create(new int[] {1, 3, 0}), 3);
      boolean[] expected = {true, false, false, true, true, true, false, false, false};
      assertArrayEquals(expected, mask.toBooleanArray(), Arrays.toString(mask.toBooleanArray()));
    }
  }

  @Test
  void maskedMeanAveragesOnlyValidRowsEvenWithNanPadding() {
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray mean = SequenceMasks.maskedMean(values(manager), manager.create(new int[] {2, 3}));
      float[] expected = {2f, -3f, 7f / 3f, 2f / 3f};
      assertArrayEquals(expected, mean.toFloatArray(), 1e-6f, Arrays.toString(mean.toFloatArray()));
    }
  }

  @Test
  void maskedMaxIgnoresPaddingEvenWhenPaddingIsLarger() {
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray max = SequenceMasks.maskedMax(values(manager), manager.create(new int[] {2, 3}));
      float[] expected = {3f, -2f, 6f, 5f};
      assertArrayEquals(expected, max.toFloatArray(), 0f, Arrays.toString(max.toFloatArray()));
    }
  }

  @Test
  void zeroPaddingReplacesOnlyPaddedRows() {
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray zeroed = SequenceMasks.zeroPadding(values(manager), manager.create(new int[] {2, 3}));
      float[] expected = {1, -2, 3, -4, 0, 0, -1, 5, 2, 0, 6, -3};
      assertArrayEquals(
          expected, zeroed.toFloatArray(), 0f, Arrays.toString(zeroed.toFloatArray()));
    }
  }

  @Test
  void reversalFlipsEachSequenceWithinItsLengthAndKeepsPaddingInPlace() {
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray lengths = manager.create(new int[] {2, 3});
      NDArray reversed = SequenceMasks.reverseWithinLength(values(manager), lengths);
      float[] expected = {3, -4, 1, -2, NAN, INF, 6, -3, 2, 0, -1, 5};
      assertArrayEquals(
          expected, reversed.toFloatArray(), 0f, Arrays.toString(reversed.toFloatArray()));
      NDArray twice = SequenceMasks.reverseWithinLength(reversed, lengths);
      assertArrayEquals(
          values(manager).toFloatArray(), twice.toFloatArray(), 0f, "reversal is an involution");
    }
  }
}
