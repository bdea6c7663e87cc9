package dev.o2v.core.batch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.o2v.core.data.DataSchema;
import dev.o2v.core.data.LabelKind;
import dev.o2v.core.data.PairDataset;
import dev.o2v.core.data.SidePolicy;
import org.junit.jupiter.api.Test;

class BatchAssemblerTest {

  private static final DataSchema SCHEMA =
      new DataSchema(100, 10, 100, 10, LabelKind.CLASS, 3, SidePolicy.BOTH_REQUIRED);

  private static final PairDataset DATA = PairDataset.builder(SCHEMA)
      .add(new int[] {5, 6, 7}, new int[] {8}, 2f)
      .add(new int[] {9}, new int[] {10, 11, 12, 13}, 1f)
      .add(new int[] {14, 15}, new int[] {16, 17}, 2f)
      .build();

  @Test
  void padsEachSideToItsLongestRecordWithZeros() {
    long[] refs = {RecordRefs.positive(1), RecordRefs.positive(0)};
    Batch batch = new BatchAssembler(DATA).assemble(refs, 0, 2);
    assertEquals(2, batch.size());
    assertEquals(3, batch.maxLength(0));
    assertArrayEquals(new int[] {9, 0, 0, 5, 6, 7}, batch.ids(0));
    assertArrayEquals(new int[] {1, 3}, batch.lengths(0));
    assertEquals(4, batch.maxLength(1));
    assertArrayEquals(new int[] {10, 11, 12, 13, 8, 0, 0, 0}, batch.ids(1));
    assertArrayEquals(new int[] {4, 1}, batch.lengths(1));
    assertArrayEquals(new float[] {1f, 2f}, batch.labels());
  }

  @Test
  void negativesTakeIn1FromTheOtherRecordAndLabelZero() {
    long[] refs = {RecordRefs.pair(2, 1), RecordRefs.positive(2)};
    Batch batch = new BatchAssembler(DATA).assemble(refs, 0, 2);
    assertArrayEquals(new int[] {14, 15, 14, 15}, batch.ids(0));
    assertArrayEquals(new int[] {10, 11, 12, 13, 16, 17, 0, 0}, batch.ids(1));
    assertArrayEquals(new float[] {0f, 2f}, batch.labels());
  }

  @Test
  void assemblesABatchOfAPlanBySlice() {
    EpochPlan plan = EpochPlan.inOrder(3, 2);
    Batch last = new BatchAssembler(DATA).assemble(plan, 1);
    assertEquals(1, last.size());
    assertArrayEquals(new int[] {14, 15}, last.ids(0));
  }

  @Test
  void anAbsentSideGivesZeroLengthsAndAnEmptyIdArray() {
    DataSchema inference =
        new DataSchema(100, 10, 100, 10, LabelKind.IGNORED, 0, SidePolicy.AT_LEAST_ONE);
    PairDataset data = PairDataset.builder(inference)
        .add(new int[] {1, 2}, 2, new int[0], 0, 0f)
        .build();
    Batch batch = new BatchAssembler(data).assemble(EpochPlan.inOrder(1, 8), 0);
    assertEquals(0, batch.maxLength(1));
    assertEquals(0, batch.ids(1).length);
    assertArrayEquals(new int[] {0}, batch.lengths(1));
  }
}
