package dev.o2v.cli;

import dev.o2v.core.data.PairDataset;
import java.nio.file.Path;

/**
 * The rule that a channel must hold at least one usable record: training on nothing produces NaN
 * metrics every epoch, and a metric of nothing is not a number either.
 */
final class UsableRecords {

  private UsableRecords() {}

  /**
   * Returns {@code data} when it holds a record.
   *
   * @throws CliException (bad data) naming the channel and its path when it holds none
   */
  static PairDataset require(String channel, Path path, PairDataset data) {
    if (data.size() == 0) {
      throw new CliException(ExitCodes.DATA,
          channel + " " + path + ": no usable records (it needs at least one)");
    }
    return data;
  }
}
