package dev.o2v.encoders.encoder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("engine")
class PaddingMaskTest {

  /** Lengths 2 and 3 (int32) padded to 4. */
  private static NDArray lengths(NDManager manager) {
    return manager.create(new int[] {2, 3});
  }

  /** {@code [2, 4, width]} with value {@code 100 b + 10 t + w} at {@code [b, t, w]}. */
  private static NDArray ramp(NDManager manager, int width) {
    float[] data = new float[2 * 4 * width];
    for (int i = 0; i < data.length; i++) {
      data[i] = 100 * (i / (4 * width)) + 10 * ((i / width) % 4) + i % width;
    }
    return manager.create(data, new Shape(2, 4, width));
  }

  @Test
  void oneMaskServesValuesOfSeveralWidths() {
    try (NDManager manager = NDManager.newBaseManager()) {
      PaddingMask mask = PaddingMask.of(lengths(manager), 4);
      float[] narrow = mask.reverseWithinLength(ramp(manager, 1)).toFloatArray();
      float[] wide = mask.reverseWithinLength(ramp(manager, 2)).toFloatArray();
      float[] narrowAgain = mask.reverseWithinLength(ramp(manager, 1)).toFloatArray();
      float[] expectedNarrow = {10, 0, 20, 30, 120, 110, 100, 130};
      float[] expectedWide = {10, 11, 0, 1, 20, 21, 30, 31, 120, 121, 110, 111, 100, 101, 130, 131};
      assertArrayEquals(expectedNarrow, narrow, 0f, Arrays.toString(narrow));
      assertArrayEquals(expectedWide, wide, 0f, Arrays.toString(wide));
      assertArrayEquals(
          expectedNarrow, narrowAgain, 0f, "cached index: " + Arrays.toString(narrowAgain));
      float[] max = mask.maskedMax(ramp(manager, 2)).toFloatArray();
      assertArrayEquals(new float[] {10, 11, 120, 121}, max, 0f, Arrays.toString(max));
      float[] mean = mask.maskedMean(ramp(manager, 1)).toFloatArray();
      assertArrayEquals(new float[] {5, 110}, mean, 1e-6f, Arrays.toString(mean));
    }
  }

  @Test
  void keepMaskIsOneAtValidPositionsAsAColumnInTheAskedType() {
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray keep = PaddingMask.of(lengths(manager), 4).keep(DataType.FLOAT64);
      assertArrayEquals(new long[] {2, 4, 1}, keep.getShape().getShape(), keep.getShape() + "");
      double[] expected = {1, 1, 0, 0, 1, 1, 1, 0};
      assertArrayEquals(expected, keep.toDoubleArray(), 0.0, Arrays.toString(keep.toDoubleArray()));
    }
  }
}
