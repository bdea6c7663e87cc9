package dev.o2v.benchmarks;

import ai.djl.ndarray.NDScope;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Timing of one engine operation alone, for the benchmarks that compare two formulations of it
 * ({@code MaxOverTimeTimes}, {@code DenseProductTimes}): shapes read from the command line, and
 * the median time of repeated calls, each in a scope of its own that frees what it made.
 */
final class OperationTiming {

  private OperationTiming() {}

  /**
   * The shapes given as arguments from {@code args[from]} on, each a comma-separated list of
   * dimensions ({@code 64,20,16}); empty when there are none.
   */
  static List<long[]> shapes(String[] args, int from) {
    List<long[]> shapes = new ArrayList<>();
    for (int i = from; i < args.length; i++) {
      shapes.add(Arrays.stream(args[i].split(",")).mapToLong(Long::parseLong).toArray());
    }
    return shapes;
  }

  /** Median microseconds of {@code call}, after as many untimed calls. */
  static double medianMicros(Runnable call, int calls) {
    double[] micros = new double[calls];
    for (int i = -calls; i < calls; i++) {
      try (NDScope ignored = new NDScope()) {
        long start = System.nanoTime();
        call.run();
        if (i >= 0) {
          micros[i] = (System.nanoTime() - start) / 1e3;
        }
      }
    }
    return Stats.median(micros);
  }
}
