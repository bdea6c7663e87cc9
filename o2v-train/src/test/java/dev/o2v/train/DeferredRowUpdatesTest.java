package dev.o2v.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.o2v.encoders.TokenEmbedding;
import dev.o2v.train.optim.RowUpdate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class DeferredRowUpdatesTest {

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
    public long[] rows() {
      return rows;
    }

    @Override
    public void apply(int[] indices) {
      for (int i : indices) {
        appliedBy.put(rows[i], Thread.currentThread().getName());
        applied.add(i);
      }
      if (failure != null && Thread.currentThread().getName().equals("o2v-row-updates")) {
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
    try (DeferredRowUpdates deferred = new DeferredRowUpdates()) {
      deferred.add(0, update);
      deferred.start(new BatchRows[] {readRows(10, 7, 2, 9)});
      // Rows 7 and 9 are read next: they are done before start returns, on the caller.
      assertEquals(caller, update.appliedBy.get(7L));
      assertEquals(caller, update.appliedBy.get(9L));
      // The others need no finish: the helper applies them meanwhile.
      awaitApplied(update, 4);
      assertEquals("o2v-row-updates", update.appliedBy.get(3L));
      assertEquals("o2v-row-updates", update.appliedBy.get(1L));
      deferred.finish();
      assertTrue(deferred.isEmpty());
    }
    List<Integer> sorted = new ArrayList<>(update.applied);
    Collections.sort(sorted);
    assertEquals(List.of(0, 1, 2, 3), sorted, "every row exactly once");
  }

  @Test
  void finishTakesTheChunksTheHelperHasNotReached() {
    String caller = Thread.currentThread().getName();
    int rows = 3 * DeferredRowUpdates.ROWS_PER_CHUNK;
    long[] ids = new long[rows];
    Arrays.setAll(ids, i -> i + 1);
    CountDownLatch callerBusy = new CountDownLatch(1);
    Map<Integer, String> appliedBy = Collections.synchronizedMap(new TreeMap<>());
    RowUpdate slowOnTheHelper = new RowUpdate() {
      @Override
      public long[] rows() {
        return ids;
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
    try (DeferredRowUpdates deferred = new DeferredRowUpdates()) {
      deferred.add(0, slowOnTheHelper);
      deferred.start(new BatchRows[] {readRows(2 * rows, 0)});
      deferred.finish();
    }
    assertEquals(rows, appliedBy.size(), "every row exactly once");
    assertTrue(appliedBy.containsValue(caller), "the caller applied a chunk");
  }

  @Test
  void closeAppliesUpdatesThatWereNeverStarted() {
    RecordingUpdate first = new RecordingUpdate(null, 4, 2);
    RecordingUpdate second = new RecordingUpdate(null, 5);
    DeferredRowUpdates deferred = new DeferredRowUpdates();
    deferred.add(0, first);
    deferred.add(1, second);
    deferred.close();
    assertEquals(Map.of(2L, Thread.currentThread().getName(), 4L,
        Thread.currentThread().getName()), first.appliedBy);
    assertEquals(1, second.applied.size());
    assertTrue(deferred.isEmpty());
  }

  @Test
  void aFailureOnTheHelperReachesTheStepAndLeavesNothingPending() {
    IllegalStateException boom = new IllegalStateException("boom");
    RecordingUpdate update = new RecordingUpdate(boom, 1, 2, 3);
    try (DeferredRowUpdates deferred = new DeferredRowUpdates()) {
      deferred.add(0, update);
      deferred.start(new BatchRows[] {readRows(10, 5)});
      awaitApplied(update, 3); // by the helper, which then fails
      assertSame(boom, assertThrows(IllegalStateException.class, deferred::finish));
      assertTrue(deferred.isEmpty());
      deferred.finish(); // nothing left to wait for
    }
    assertEquals(3, update.applied.size());
  }

  @Test
  void updatesCannotBeAddedWhileTheHelperRuns() {
    try (DeferredRowUpdates deferred = new DeferredRowUpdates()) {
      deferred.add(0, new RecordingUpdate(null, 1));
      deferred.start(new BatchRows[] {readRows(4, 2)});
      assertThrows(IllegalStateException.class,
          () -> deferred.add(0, new RecordingUpdate(null, 2)));
      deferred.finish();
      deferred.add(0, new RecordingUpdate(null, 2));
    }
  }
}
