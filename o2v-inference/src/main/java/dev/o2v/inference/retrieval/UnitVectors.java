package dev.o2v.inference.retrieval;

import java.util.List;
import java.util.Locale;

/**
 * Rows of equal width scaled to unit length, stored in one row-major array, so that the dot
 * product of two rows is their cosine similarity. A zero row stays zero (cosine 0 with anything).
 */
public final class UnitVectors {

  private final float[] data;
  private final int count;
  private final int width;

  private UnitVectors(float[] data, int count, int width) {
    this.data = data;
    this.count = count;
    this.width = width;
  }

  /**
   * Normalises {@code flat} (row-major, {@code count * width} values) in place and wraps it.
   *
   * @throws IllegalArgumentException when the sizes disagree
   */
  public static UnitVectors normalizeInPlace(float[] flat, int count, int width) {
    if (width < 1 || count < 0 || (long) count * width != flat.length) {
      throw new IllegalArgumentException(String.format(Locale.ROOT,
          "%d values are not %d rows of width %d", flat.length, count, width));
    }
    for (int r = 0; r < count; r++) {
      normalizeRow(flat, r * width, width);
    }
    return new UnitVectors(flat, count, width);
  }

  /** Copies and normalises {@code rows}, which must all have {@code width} values. */
  public static UnitVectors of(List<float[]> rows, int width) {
    float[] flat = new float[Math.multiplyExact(rows.size(), width)];
    for (int r = 0; r < rows.size(); r++) {
      float[] row = rows.get(r);
      if (row.length != width) {
        throw new IllegalArgumentException(String.format(Locale.ROOT,
            "row %d has %d values, expected %d", r, row.length, width));
      }
      System.arraycopy(row, 0, flat, r * width, width);
    }
    return normalizeInPlace(flat, rows.size(), width);
  }

  private static void normalizeRow(float[] flat, int offset, int width) {
    double sum = 0;
    for (int i = 0; i < width; i++) {
      double x = flat[offset + i];
      sum += x * x;
    }
    if (sum > 0) {
      double scale = 1 / Math.sqrt(sum);
      for (int i = 0; i < width; i++) {
        flat[offset + i] = (float) (flat[offset + i] * scale);
      }
    }
  }

  /** Number of rows. */
  public int count() {
    return count;
  }

  /** Values per row. */
  public int width() {
    return width;
  }

  /** A copy of row {@code r}. */
  public float[] row(int r) {
    float[] out = new float[width];
    System.arraycopy(data, offset(r), out, 0, width);
    return out;
  }

  /** The cosine of row {@code a} of this set and row {@code b} of {@code other}. */
  public float cosine(int a, UnitVectors other, int b) {
    return dot(data, offset(a), other.data, other.offset(b), width);
  }

  float[] data() {
    return data;
  }

  int offset(int r) {
    if (r < 0 || r >= count) {
      throw new IndexOutOfBoundsException("row " + r + " outside [0, " + count + ")");
    }
    return r * width;
  }

  /**
   * The dot product of {@code a[ao..ao+n)} and {@code b[bo..bo+n)}. Four independent sums keep
   * the multiply-add units busy; their fixed order makes the result a function of the operands
   * alone, so equal rows give bit-equal scores.
   */
  static float dot(float[] a, int ao, float[] b, int bo, int n) {
    float s0 = 0;
    float s1 = 0;
    float s2 = 0;
    float s3 = 0;
    int i = 0;
    for (; i + 3 < n; i += 4) {
      s0 += a[ao + i] * b[bo + i];
      s1 += a[ao + i + 1] * b[bo + i + 1];
      s2 += a[ao + i + 2] * b[bo + i + 2];
      s3 += a[ao + i + 3] * b[bo + i + 3];
    }
    for (; i < n; i++) {
      s0 += a[ao + i] * b[bo + i];
    }
    return (s0 + s1) + (s2 + s3);
  }
}
