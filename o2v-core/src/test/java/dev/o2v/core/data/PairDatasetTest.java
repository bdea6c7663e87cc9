package dev.o2v.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PairDatasetTest {

  private static final DataSchema SCHEMA =
      new DataSchema(1000, 30, 1000, 30, LabelKind.REGRESSION, 0, SidePolicy.BOTH_REQUIRED);

  @Test
  void storesRecordsAndReturnsThemByIndex() {
    PairDataset data = PairDataset.builder(SCHEMA)
        .add(new int[] {1, 2, 3}, new int[] {4}, 0.5f)
        .add(new int[] {5, 6, 7, 8}, 2, new int[] {9, 10}, 2, -1f)
        .build();
    assertEquals(2, data.size());
    assertArrayEquals(new int[] {1, 2, 3}, data.ids(0, 0));
    assertArrayEquals(new int[] {5, 6}, data.ids(0, 1));
    assertArrayEquals(new int[] {9, 10}, data.ids(1, 1));
    assertEquals(9, data.id(1, 1, 0));
    assertEquals(2, data.id(0, 0, 1));
    assertEquals(-1f, data.label(1));
    assertEquals(5, data.tokenCount(0));
    assertEquals(3, data.tokenCount(1));
    int[] dest = new int[6];
    data.copyIds(0, 0, dest, 2);
    assertArrayEquals(new int[] {0, 0, 1, 2, 3, 0}, dest);
  }

  @Test
  void absentSidesOfInferenceRecordsHaveLengthZero() {
    PairDataset data = PairDataset.builder(
            new DataSchema(1000, 30, 1000, 30, LabelKind.IGNORED, 0, SidePolicy.AT_LEAST_ONE))
        .add(new int[] {1}, 1, new int[0], 0, 0f)
        .build();
    assertTrue(data.has(0, 0));
    assertFalse(data.has(1, 0));
    assertEquals(0, data.ids(1, 0).length);
  }

  @Test
  void rejectsLengthsOverMaxSeqLenAndBadIndices() {
    PairDataset.Builder b = PairDataset.builder(SCHEMA);
    assertThrows(IllegalArgumentException.class,
        () -> b.add(new int[31], new int[] {1}, 0f));
    PairDataset data = b.add(new int[] {1}, new int[] {1}, 0f).build();
    assertThrows(IndexOutOfBoundsException.class, () -> data.id(0, 0, 1));
    assertThrows(IndexOutOfBoundsException.class, () -> data.label(1));
  }

  @Test
  void memoryIsAtMostFourBytesPerTokenPlusSixteenPerRecord() {
    SplittableRandom rng = new SplittableRandom(7);
    PairDataset.Builder b = PairDataset.builder(SCHEMA);
    for (int i = 0; i < 100_000; i++) {
      b.add(ones(1 + rng.nextInt(20)), ones(1 + rng.nextInt(20)), 1f);
    }
    PairDataset data = b.build();
    long tokens = data.tokenCount(0) + data.tokenCount(1);
    long budget = 4 * tokens + 16L * data.size();
    long payload = 4 * tokens + 12L * data.size();
    assertTrue(data.memoryBytes() <= budget,
        "memory " + data.memoryBytes() + " over budget " + budget);
    assertTrue(data.memoryBytes() >= payload,
        "memory " + data.memoryBytes() + " below the payload " + payload);
  }

  /** {@code n} ids that are all 1 (id 0 would be dropped as padding). */
  private static int[] ones(int n) {
    int[] ids = new int[n];
    java.util.Arrays.fill(ids, 1);
    return ids;
  }
}
