package dev.o2v.train.runtime;

import java.util.concurrent.ExecutionException;

/** The failure of a task that ran on another thread, as the thread that waited for it sees it. */
public final class TaskFailures {

  private TaskFailures() {}

  /**
   * Throws the task's own exception where it is unchecked (a {@link RuntimeException} or an
   * {@link Error}), so that it reaches the waiting thread unchanged; returns a checked one, for
   * the caller to wrap in its own type.
   */
  public static Throwable rethrowUnchecked(ExecutionException failure) {
    return rethrowUnchecked(failure.getCause());
  }

  /**
   * Throws {@code cause} itself where it is unchecked (a {@link RuntimeException} or an {@link
   * Error}); returns a checked one, for the caller to wrap in its own type.
   */
  public static Throwable rethrowUnchecked(Throwable cause) {
    if (cause instanceof RuntimeException runtime) {
      throw runtime;
    }
    if (cause instanceof Error error) {
      throw error;
    }
    return cause;
  }
}
