package dev.o2v.spark;

import dev.o2v.api.ModelOptions;
import dev.o2v.api.Object2VecModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The models an executor JVM has opened, one per model location and options, shared by all of
 * its tasks (a model answers many threads at once). They stay open for the life of the JVM.
 */
final class ExecutorModels {

  private static final ConcurrentMap<String, Object2VecModel> OPEN = new ConcurrentHashMap<>();
  private static final AtomicInteger OPENED = new AtomicInteger();

  private ExecutorModels() {}

  /** The model of {@code spec}, opened (and copied to local disk) by the first task that asks. */
  static Object2VecModel get(ModelSpec spec) {
    return OPEN.computeIfAbsent(spec.cacheKey(), key -> open(spec));
  }

  /**
   * Starts opening the model of {@code spec} on a daemon thread, so that the first task finds it
   * open (or waits for it) instead of opening it itself. A failure is left for that task to meet
   * and report.
   */
  static void openInBackground(ModelSpec spec) {
    if (OPEN.containsKey(spec.cacheKey())) {
      return;
    }
    Thread opener = new Thread(() -> {
      try {
        get(spec);
      } catch (RuntimeException e) {
        // The first task opens the model again and fails the job with the same error.
      }
    }, "o2v-model-opener");
    opener.setDaemon(true);
    opener.start();
  }

  /** How many models this JVM has opened so far. */
  static int opened() {
    return OPENED.get();
  }

  private static Object2VecModel open(ModelSpec spec) {
    try {
      Path local = ModelDirectories.localize(spec.location(), spec.hadoopSettings());
      ModelOptions options =
          ModelOptions.defaults().withThreads(spec.threads()).withMaxBatchRows(spec.batchRows());
      Object2VecModel model = Object2VecModel.open(local, options);
      OPENED.incrementAndGet();
      return model;
    } catch (IOException e) {
      throw new UncheckedIOException("o2v model " + spec.location() + ": " + e.getMessage(), e);
    }
  }
}
