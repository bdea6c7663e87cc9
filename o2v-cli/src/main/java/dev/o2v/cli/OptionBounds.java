package dev.o2v.cli;

import java.util.Locale;

/**
 * The allowed ranges of the thread and size options, checked before anything is allocated: an
 * unbounded {@code --workers 100000000} would otherwise start that many threads.
 */
final class OptionBounds {

  /** Threads running model calls side by side ({@code --workers}), as for serve. */
  static final int MAX_WORKERS = 256;
  /** Threads libtorch uses within one operation ({@code --threads}). */
  static final int MAX_ENGINE_THREADS = 256;
  /** Records per batch of batch inference and neighbour search ({@code --batch-size}). */
  static final int MAX_BATCH_SIZE = 65_536;
  /** Neighbours per query ({@code -k}). */
  static final int MAX_NEIGHBORS = 100_000;

  private OptionBounds() {}

  /**
   * Checks that {@code value} is in {@code [min, max]}.
   *
   * @throws CliException (usage) naming the option, its range and the value found
   */
  static void check(String option, long value, long min, long max) {
    if (value < min || value > max) {
      throw new CliException(ExitCodes.USAGE, String.format(
          Locale.ROOT, "%s must be in [%d, %d], found %d", option, min, max, value));
    }
  }
}
