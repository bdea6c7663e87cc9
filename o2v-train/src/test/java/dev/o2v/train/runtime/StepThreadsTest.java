package dev.o2v.train.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("engine")
class StepThreadsTest {

  private static final StepWork SMALL = new StepWork(StepThreads.SMALL_PRODUCT - 1,
      StepThreads.SMALL_ACTIVATION - 1);

  @Test
  void onlyNetworksWhoseOperationsAreAllSmallRunOnOneThread() {
    assertEquals(1, StepThreads.choose(SMALL, 8));
    assertEquals(8, StepThreads.choose(new StepWork(StepThreads.SMALL_PRODUCT, 0), 8));
    assertEquals(8, StepThreads.choose(new StepWork(0, StepThreads.SMALL_ACTIVATION), 8));
    assertEquals(1, StepThreads.choose(SMALL, 1));
  }

  /** Runs {@code body} on a fresh thread whose libtorch count is 2, and restores 1 after. */
  private static <T> T onTwoThreads(java.util.concurrent.Callable<T> body) throws Exception {
    Engine.getEngine("PyTorch");
    ExecutorService thread = Executors.newSingleThreadExecutor();
    try {
      Future<T> result = thread.submit(() -> {
        JniUtils.setNumThreads(2);
        try {
          return body.call();
        } finally {
          JniUtils.setNumThreads(1); // the count the test JVM runs with
        }
      });
      return result.get();
    } catch (ExecutionException e) {
      throw (Exception) e.getCause();
    } finally {
      thread.shutdown();
    }
  }

  @Test
  void aScopeLowersThisThreadsCountAndRestoresIt() throws Exception {
    int[] seen = onTwoThreads(() -> {
      int inside;
      int workers;
      int nested;
      try (StepThreads.Scope scope = StepThreads.enter(SMALL)) {
        assertTrue(scope.lowered());
        inside = JniUtils.getNumThreads();
        workers = StepThreads.hostWorkers();
        try (StepThreads.Scope again = StepThreads.enter(SMALL)) {
          assertFalse(again.lowered(), "a nested scope changes nothing");
          nested = StepThreads.hostWorkers();
        }
      }
      return new int[] {inside, workers, nested, JniUtils.getNumThreads(),
          StepThreads.hostWorkers()};
    });
    assertEquals(1, seen[0], "libtorch's count inside the scope");
    assertEquals(2, seen[1], "JVM-side workers keep the engine's count");
    assertEquals(2, seen[2], "after a nested scope closed");
    assertEquals(2, seen[3], "libtorch's count after the scope");
    assertEquals(2, seen[4], "JVM-side workers after the scope");
  }

  @Test
  void bulkWorkRunsOnTheEnginesCountInsideALoweredScope() throws Exception {
    int[] seen = onTwoThreads(() -> {
      int[] inside = new int[2];
      try (StepThreads.Scope scope = StepThreads.enter(SMALL)) {
        StepThreads.onEngineThreads(() -> inside[0] = JniUtils.getNumThreads());
        inside[1] = JniUtils.getNumThreads();
      }
      int[] outside = new int[1];
      StepThreads.onEngineThreads(() -> outside[0] = JniUtils.getNumThreads());
      return new int[] {inside[0], inside[1], outside[0], JniUtils.getNumThreads()};
    });
    assertEquals(2, seen[0], "libtorch's count for bulk work in a lowered scope");
    assertEquals(1, seen[1], "the scope's count once the bulk work is done");
    assertEquals(2, seen[2], "bulk work outside any scope");
    assertEquals(2, seen[3], "libtorch's count at the end");
  }

  @Test
  void bulkWorkRestoresTheLoweredCountWhenItFails() throws Exception {
    int after = onTwoThreads(() -> {
      try (StepThreads.Scope scope = StepThreads.enter(SMALL)) {
        assertThrows(IllegalStateException.class, () -> StepThreads.onEngineThreads(() -> {
          throw new IllegalStateException("failed");
        }));
        return JniUtils.getNumThreads();
      }
    });
    assertEquals(1, after);
  }

  @Test
  void largeWorkKeepsTheEnginesCount() throws Exception {
    int inside = onTwoThreads(() -> {
      try (StepThreads.Scope scope = StepThreads.enter(new StepWork(1L << 40, 0))) {
        assertFalse(scope.lowered());
        return JniUtils.getNumThreads();
      }
    });
    assertEquals(2, inside);
  }

  @Test
  void thePropertyKeepsTheEnginesCount() throws Exception {
    String before = System.getProperty(StepThreads.PROPERTY);
    System.setProperty(StepThreads.PROPERTY, "keep");
    try {
      int inside = onTwoThreads(() -> {
        try (StepThreads.Scope scope = StepThreads.enter(SMALL)) {
          return JniUtils.getNumThreads();
        }
      });
      assertEquals(2, inside);
    } finally {
      if (before == null) {
        System.clearProperty(StepThreads.PROPERTY);
      } else {
        System.setProperty(StepThreads.PROPERTY, before);
      }
    }
  }

  @Test
  void aScopeClosesOnlyOnItsOwnThread() throws Exception {
    StepThreads.Scope scope = onTwoThreads(() -> StepThreads.enter(SMALL));
    assertThrows(IllegalStateException.class, scope::close);
  }
}
