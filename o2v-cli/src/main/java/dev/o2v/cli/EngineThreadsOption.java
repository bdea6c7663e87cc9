package dev.o2v.cli;

import java.util.OptionalInt;
import picocli.CommandLine.Option;

/**
 * The {@code --threads} option of the commands that run the engine: how many threads libtorch
 * uses within one operation (intra-op parallelism).
 */
final class EngineThreadsOption {

  /** The system property the PyTorch engine reads once, when it starts. */
  static final String PROPERTY = "ai.djl.pytorch.num_threads";

  @Option(
      names = "--threads",
      paramLabel = "N",
      description =
          "Threads libtorch uses within one operation, 1..256 (default: libtorch's own, one"
              + " per core; for serve 1, as its --workers run model calls side by side). A"
              + " network whose operations are all small runs them on one thread.")
  Integer threads;

  /**
   * The validated thread count: {@code --threads} when given, else {@code fallback}; empty leaves
   * libtorch's default.
   *
   * @throws CliException (usage) for a count outside 1..256
   */
  OptionalInt resolve(OptionalInt fallback) {
    OptionalInt count = threads != null ? OptionalInt.of(threads) : fallback;
    if (count.isPresent()) {
      OptionBounds.check("--threads", count.getAsInt(), 1, OptionBounds.MAX_ENGINE_THREADS);
    }
    return count;
  }

  /** {@link #apply(OptionalInt)} with libtorch's default when {@code --threads} is absent. */
  void apply() {
    apply(OptionalInt.empty());
  }

  /**
   * Validates the count and hands it to libtorch. Call it before anything starts the engine
   * (loading a model, choosing a device): the engine reads the setting only when it starts.
   */
  void apply(OptionalInt fallback) {
    resolve(fallback).ifPresent(n -> System.setProperty(PROPERTY, Integer.toString(n)));
  }
}
