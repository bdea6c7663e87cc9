package dev.o2v.encoders.encoder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
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
  void zeroPaddingGivesTheSelectsValuesAndGradientWhateverThePaddingHolds() {
    float[][] paddings = {{-7f, 3f}, {Float.NaN, Float.POSITIVE_INFINITY}};
    for (float[] padding : paddings) {
      try (NDManager manager = NDManager.newBaseManager();
          GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        float[] data = ramp(manager, 2).toFloatArray();
        data[2 * 2 + 1] = padding[0]; // sequence 0, position 2 (padding)
        data[(4 + 3) * 2] = padding[1]; // sequence 1, position 3 (padding)
        NDArray values = manager.create(data, new Shape(2, 4, 2));
        values.setRequiresGradient(true);
        PaddingMask mask = PaddingMask.of(lengths(manager), 4);
        NDArray zeroed = mask.zeroPadding(values);
        float[] expected = mask.fillPadding(values, 0f).toFloatArray();
        assertArrayEquals(expected, zeroed.toFloatArray(), 0f, Arrays.toString(padding));
        collector.backward(zeroed.mul(manager.arange(16f).reshape(2, 4, 2)).sum());
        float[] gradient = values.getGradient().toFloatArray();
        for (int i = 0; i < data.length; i++) {
          boolean valid = (i / 2) % 4 < (i < 8 ? 2 : 3);
          assertEquals(valid ? i : 0f, gradient[i], 0f, "element " + i + " " + Arrays.toString(
              padding));
        }
      }
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
