package dev.o2v.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.o2v.encoders.TokenEmbedding;
import dev.o2v.train.optim.RowUpdate;
import dev.o2v.train.optim.WeightUpdate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class HeldUpdatesTest {

  /** Records which thread applied which row. */
  private static final class RecordingUpdate implements RowUpdate {
    private final long[] rows;
    final Map<Long, String> appliedBy = Collections.synchronizedMap(new TreeMap<>());
    final List<Integer> applied = Collections.synchronizedList(new ArrayList<>());
    private final RuntimeException failure;

    RecordingUpdate(RuntimeException failure, long... rows) {
      this.rows = rows;
      this.failure = failure;
    }

    @Override
    public int size() {
      return rows.length;
    }

    @Override
    public long row(int index) {
      return rows[index];
    }

    @Override
    public void apply(int[] indices) {
      for (int i : indices) {
        appliedBy.put(rows[i], Thread.currentThread().getName());
        applied.add(i);
      }
      if (failure != null && Thread.currentThread().getName().equals("o2v-held-updates")) {
        throw failure;
      }
    }

    @Override
    public void applyAll() {
      int[] all = new int[rows.length];
      Arrays.setAll(all, i -> i);
      apply(all);
    }
  }

  /** Waits up to ten seconds until {@code update} has applied {@code rows} rows. */
  private static void awaitApplied(RecordingUpdate update, int rows) {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (update.applied.size() < rows && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertEquals(rows, update.applied.size(), "rows applied by the helper");
  }

  private static BatchRows readRows(int vocab, int... ids) {
    BatchRows rows = new BatchRows(
        TokenEmbedding.builder().setVocabSize(vocab).setEmbeddingDim(2).build());
    rows.collect(ids, new int[] {ids.length}, ids.length);
    rows.seal();
    return rows;
  }

  @Test
  void rowsTheNextBatchReadsRunOnTheCallerAndTheOthersOnTheHelper() {
    String caller = Thread.currentThread().getName();
    RecordingUpdate update = new RecordingUpdate(null, 3, 7, 1, 9);
    try (HeldUpdates held = new HeldUpdates()) {
      held.holdTable(0, update);
      held.start(new BatchRows[] {readRows(10, 7, 2, 9)});
      // Rows 7 and 9 are read next: they are done before start returns, on the caller.
      assertEquals(caller, update.appliedBy.get(7L));
      assertEquals(caller, update.appliedBy.get(9L));
      // The others need no finish: the helper applies them meanwhile.
      awaitApplied(update, 4);
      assertEquals("o2v-held-updates", update.appliedBy.get(3L));
      assertEquals("o2v-held-updates", update.appliedBy.get(1L));
      held.finish();
      assertTrue(held.isEmpty());
    }
    List<Integer> sorted = new ArrayList<>(update.applied);
    Collections.sort(sorted);
    assertEquals(List.of(0, 1, 2, 3), sorted, "every row exactly once");
  }

  @Test
  void finishTakesTheChunksTheHelperHasNotReached() {
    String caller = Thread.currentThread().getName();
    int rows = 3 * HeldUpdates.ROWS_PER_CHUNK;
    long[] ids = new long[rows];
    Arrays.setAll(ids, i -> i + 1);
    CountDownLatch callerBusy = new CountDownLatch(1);
    Map<Integer, String> appliedBy = Collections.synchronizedMap(new TreeMap<>());
    RowUpdate slowOnTheHelper = new RowUpdate() {
      @Override
      public int size() {
        return ids.length;
      }

      @Override
      public long row(int index) {
        return ids[index];
      }

      @Override
      public void apply(int[] indices) {
        if (Thread.currentThread().getName().equals(caller)) {
          callerBusy.countDown();
        } else {
          try {
            // The helper holds its first chunk until the caller has taken one of its own.
            assertTrue(callerBusy.await(10, TimeUnit.SECONDS));
          } catch (InterruptedException e) {
            throw new IllegalStateException(e);
          }
        }
        for (int i : indices) {
          assertEquals(null, appliedBy.put(i, Thread.currentThread().getName()), "row " + i);
        }
      }

      @Override
      public void applyAll() {
        throw new AssertionError("a started update is applied by chunks");
      }
    };
    try (HeldUpdates held = new HeldUpdates()) {
      held.holdTable(0, slowOnTheHelper);
      held.start(new BatchRows[] {readRows(2 * rows, 0)});
      held.finish();
    }
    assertEquals(rows, appliedBy.size(), "every row exactly once");
    assertTrue(appliedBy.containsValue(caller), "the caller applied a chunk");
  }

  @Test
  void closeAppliesUpdatesThatWereNeverStarted() {
    RecordingUpdate first = new RecordingUpdate(null, 4, 2);
    RecordingUpdate second = new RecordingUpdate(null, 5);
    HeldUpdates held = new HeldUpdates();
    held.holdTable(0, first);
    held.holdTable(1, second);
    held.close();
    assertEquals(Map.of(2L, Thread.currentThread().getName(), 4L,
        Thread.currentThread().getName()), first.appliedBy);
    assertEquals(1, second.applied.size());
    assertTrue(held.isEmpty());
  }

  @Test
  void aFailureOnTheHelperReachesTheStepAndLeavesNothingPending() {
    IllegalStateException boom = new IllegalStateException("boom");
    RecordingUpdate update = new RecordingUpdate(boom, 1, 2, 3);
    try (HeldUpdates held = new HeldUpdates()) {
      held.holdTable(0, update);
      held.start(new BatchRows[] {readRows(10, 5)});
      awaitApplied(update, 3); // by the helper, which then fails
      assertSame(boom, assertThrows(IllegalStateException.class, held::finish));
      assertTrue(held.isEmpty());
      held.finish(); // nothing left to wait for
    }
    assertEquals(3, update.applied.size());
  }

  @Test
  void updatesCannotBeAddedWhileTheHelperRuns() {
    try (HeldUpdates held = new HeldUpdates()) {
      held.holdTable(0, new RecordingUpdate(null, 1));
      held.start(new BatchRows[] {readRows(4, 2)});
      assertThrows(IllegalStateException.class,
          () -> held.holdTable(0, new RecordingUpdate(null, 2)));
      held.finish();
      held.holdTable(0, new RecordingUpdate(null, 2));
    }
  }

  /** Records which thread applied which span of a weight. */
  private static final class RecordingWeight implements WeightUpdate {
    private final int size;
    final Map<Integer, String> spanBy = Collections.synchronizedMap(new TreeMap<>());
    final int[] timesApplied;
    private final Runnable onHelper;

    RecordingWeight(int size, Runnable onHelper) {
      this.size = size;
      this.timesApplied = new int[size];
      this.onHelper = onHelper;
    }

    @Override
    public int size() {
      return size;
    }

    @Override
    public void apply(int from, int to) {
      if (Thread.currentThread().getName().equals("o2v-held-updates")) {
        onHelper.run();
      }
      spanBy.put(from, Thread.currentThread().getName());
      synchronized (timesApplied) {
        for (int i = from; i < to; i++) {
          timesApplied[i]++;
        }
      }
    }

    void assertEveryElementOnce() {
      synchronized (timesApplied) {
        for (int i = 0; i < size; i++) {
          assertEquals(1, timesApplied[i], "element " + i);
        }
      }
    }
  }

  @Test
  void aWeightIsCompleteWhenItsAwaitReturnsAndTheCallerTakesTheSpansTheHelperHasNotReached() {
    String caller = Thread.currentThread().getName();
    CountDownLatch helperStarted = new CountDownLatch(1);
    CountDownLatch callerBusy = new CountDownLatch(1);
    Object firstKey = new Object();
    Object secondKey = new Object();
    // The helper holds its first span until the caller has awaited the second weight.
    RecordingWeight first = new RecordingWeight(2 * HeldUpdates.ELEMENTS_PER_SPAN + 5, () -> {
      helperStarted.countDown();
      try {
        assertTrue(callerBusy.await(10, TimeUnit.SECONDS));
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    RecordingWeight second = new RecordingWeight(3 * HeldUpdates.ELEMENTS_PER_SPAN, () -> { });
    try (HeldUpdates held = new HeldUpdates()) {
      held.holdWeight(firstKey, first);
      held.holdWeight(secondKey, second);
      held.release();
      try {
        assertTrue(helperStarted.await(10, TimeUnit.SECONDS));
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
      held.awaitWeight(secondKey);
      // The helper is still on the first weight: the caller applied all of the second.
      second.assertEveryElementOnce();
      assertEquals(List.of(caller), List.copyOf(new HashSet<>(second.spanBy.values())));
      callerBusy.countDown();
      held.awaitWeight(firstKey);
      first.assertEveryElementOnce();
      assertTrue(first.spanBy.containsValue("o2v-held-updates"), "the helper applied a span");
      held.awaitWeight(new Object()); // nothing held for it: returns at once
      held.finish();
      assertTrue(held.isEmpty());
    }
  }

  @Test
  void finishAppliesWeightsNobodyAwaitedAndHeldWeightsNeverReleased() {
    RecordingWeight released = new RecordingWeight(HeldUpdates.ELEMENTS_PER_SPAN + 1, () -> { });
    RecordingWeight kept = new RecordingWeight(7, () -> { });
    try (HeldUpdates held = new HeldUpdates()) {
      held.holdWeight("released", released);
      held.release();
      held.finish();
      released.assertEveryElementOnce();
      held.holdWeight("kept", kept);
    }
    kept.assertEveryElementOnce();
  }

  @Test
  void aFailedSpanOnTheHelperReachesTheAwaitingStep() {
    IllegalStateException boom = new IllegalStateException("boom");
    CountDownLatch failed = new CountDownLatch(1);
    RecordingWeight weight = new RecordingWeight(10, () -> {
      failed.countDown();
      throw boom;
    });
    try (HeldUpdates held = new HeldUpdates()) {
      held.holdWeight("w", weight);
      held.release();
      try {
        assertTrue(failed.await(10, TimeUnit.SECONDS));
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
      assertSame(boom, assertThrows(IllegalStateException.class, () -> held.awaitWeight("w")));
      assertSame(boom, assertThrows(IllegalStateException.class, held::finish));
      assertTrue(held.isEmpty());
    }
  }
}
