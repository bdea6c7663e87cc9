package dev.o2v.api;

import java.util.Arrays;
import java.util.Locale;

/**
 * Rows of floats stored in one row-major array: row {@code r} is {@code values[r * columns]} to
 * {@code values[(r + 1) * columns - 1]}. Handy for bulk output (NumPy, Arrow, off-heap copies).
 *
 * @param values the {@code rows * columns} values, row after row; not copied
 * @param rows the number of rows
 * @param columns the number of values per row
 */
public record FloatMatrix(float[] values, int rows, int columns) {

  /**
   * Checks that the shape fits the values.
   *
   * @param values the {@code rows * columns} values, row after row; not copied
   * @param rows the number of rows
   * @param columns the number of values per row
   * @throws IllegalArgumentException when {@code values.length != rows * columns}
   */
  public FloatMatrix {
    if (rows < 0 || columns < 0 || (long) rows * columns != values.length) {
      throw new IllegalArgumentException(
          String.format(
              Locale.ROOT, "%d values do not form %d rows of %d", values.length, rows, columns));
    }
  }

  /**
   * One row, copied.
   *
   * @param row the 0-based row
   * @return a new array of {@code columns} values
   */
  public float[] row(int row) {
    if (row < 0 || row >= rows) {
      throw new IndexOutOfBoundsException("row " + row + " of " + rows);
    }
    return Arrays.copyOfRange(values, row * columns, (row + 1) * columns);
  }

  /**
   * Every row as its own array.
   *
   * @return {@code rows} new arrays of {@code columns} values
   */
  public float[][] toArrays() {
    float[][] out = new float[rows][];
    for (int r = 0; r < rows; r++) {
      out[r] = row(r);
    }
    return out;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof FloatMatrix m
        && m.rows == rows
        && m.columns == columns
        && Arrays.equals(m.values, values);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * rows + columns) + Arrays.hashCode(values);
  }

  @Override
  public String toString() {
    return "FloatMatrix[" + rows + " x " + columns + "]";
  }
}
