package dev.o2v.train.runtime;

import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class TaskFailuresTest {

  @Test
  void uncheckedFailuresReachTheWaitingThreadUnchanged() {
    IllegalArgumentException runtime = new IllegalArgumentException("bad row");
    assertSame(runtime, assertThrows(IllegalArgumentException.class,
        () -> TaskFailures.rethrowUnchecked(new ExecutionException(runtime))));
    OutOfMemoryError error = new OutOfMemoryError("table");
    assertSame(error, assertThrows(OutOfMemoryError.class,
        () -> TaskFailures.rethrowUnchecked(new ExecutionException(error))));
  }

  @Test
  void checkedFailuresAreReturnedForTheCallerToWrap() {
    IOException checked = new IOException("disk");
    assertSame(checked, TaskFailures.rethrowUnchecked(new ExecutionException(checked)));
  }
}
