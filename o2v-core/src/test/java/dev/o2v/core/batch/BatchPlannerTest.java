package dev.o2v.core.batch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.o2v.core.data.PairDataset;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class BatchPlannerTest {

  private static final PairDataset DATA = TestData.randomLengths(1000, 40, 11);

  private static long[] allRefs(EpochPlan plan) {
    long[] out = new long[plan.pairCount()];
    int at = 0;
    for (int b = 0; b < plan.batchCount(); b++) {
      long[] batch = plan.batchRefs(b);
      System.arraycopy(batch, 0, out, at, batch.length);
      at += batch.length;
    }
    return out;
  }

  @Test
  void equalSeedsGiveEqualPlansRegardlessOfCallOrder() {
    BatchPlanner a = new BatchPlanner(DATA, 32, 3, 2, 99);
    BatchPlanner b = new BatchPlanner(DATA, 32, 3, 2, 99);
    long[] a2 = allRefs(a.plan(2));
    a.plan(0);
    assertArrayEquals(a2, allRefs(b.plan(2)));
    assertArrayEquals(allRefs(a.plan(0)), allRefs(b.plan(0)));
  }

  @Test
  void differentSeedsOrEpochsGiveDifferentOrders() {
    long[] base = allRefs(new BatchPlanner(DATA, 32, 0, 0, 1).plan(0));
    assertFalse(Arrays.equals(base, allRefs(new BatchPlanner(DATA, 32, 0, 0, 2).plan(0))));
    assertFalse(Arrays.equals(base, allRefs(new BatchPlanner(DATA, 32, 0, 0, 1).plan(1))));
  }

  @Test
  void everyRecordIsInExactlyOneBatchPerEpoch() {
    for (int width : new int[] {0, 2}) {
      EpochPlan plan = new BatchPlanner(DATA, 32, width, 0, 5).plan(0);
      int[] seen = new int[DATA.size()];
      for (long ref : allRefs(plan)) {
        seen[RecordRefs.in0Source(ref)]++;
      }
      for (int i = 0; i < seen.length; i++) {
        assertEquals(1, seen[i], "record " + i + " with bucket width " + width);
      }
    }
  }

  @Test
  void negativesAreFreshEachEpochAndPositivesStayComplete() {
    BatchPlanner planner = new BatchPlanner(DATA, 64, 0, 3, 5);
    long[] e0 = allRefs(planner.plan(0));
    long[] e1 = allRefs(planner.plan(1));
    assertEquals(DATA.size() * 4, e0.length);
    long[] neg0 = Arrays.stream(e0).filter(RecordRefs::isNegative).sorted().toArray();
    long[] neg1 = Arrays.stream(e1).filter(RecordRefs::isNegative).sorted().toArray();
    assertEquals(DATA.size() * 3, neg0.length);
    assertFalse(Arrays.equals(neg0, neg1), "negatives repeated across epochs");
  }

  @Test
  void unbucketedBatchesAreFullExceptTheLast() {
    EpochPlan plan = new BatchPlanner(DATA, 300, 0, 0, 5).plan(0);
    assertEquals(4, plan.batchCount());
    assertEquals(300, plan.batchSize(0));
    assertEquals(100, plan.batchSize(3));
  }

  @Test
  void bucketedBatchesPadEachSideByAtMostTheWidth() {
    for (int width : new int[] {1, 3, 10}) {
      EpochPlan plan = new BatchPlanner(DATA, 16, width, 1, 8).plan(0);
      for (int b = 0; b < plan.batchCount(); b++) {
        for (int side = 0; side < 2; side++) {
          int min = Integer.MAX_VALUE;
          int max = 0;
          for (long ref : plan.batchRefs(b)) {
            int source = side == 0 ? RecordRefs.in0Source(ref) : RecordRefs.in1Source(ref);
            min = Math.min(min, DATA.length(side, source));
            max = Math.max(max, DATA.length(side, source));
          }
          assertTrue(max - min <= width, "side " + side + " of batch " + b + " spans " + min
              + ".." + max + " with width " + width);
        }
      }
    }
  }

  @Test
  void bucketedBatchOrderMixesCells() {
    // If batches came out cell by cell, in0 length buckets would be non-decreasing or grouped;
    // count how often consecutive batches change cell.
    EpochPlan plan = new BatchPlanner(DATA, 8, 4, 0, 3).plan(0);
    int changes = 0;
    int previous = -1;
    for (int b = 0; b < plan.batchCount(); b++) {
      int cell = DATA.length(0, RecordRefs.in0Source(plan.ref(plan.start(b)))) / 5;
      changes += cell != previous ? 1 : 0;
      previous = cell;
    }
    assertTrue(changes > plan.batchCount() / 2,
        changes + " cell changes over " + plan.batchCount() + " batches");
  }

  @Test
  void inOrderPlanKeepsRecordOrder() {
    EpochPlan plan = EpochPlan.inOrder(10, 4);
    assertEquals(3, plan.batchCount());
    assertArrayEquals(
        new long[] {RecordRefs.positive(8), RecordRefs.positive(9)}, plan.batchRefs(2));
  }
}
