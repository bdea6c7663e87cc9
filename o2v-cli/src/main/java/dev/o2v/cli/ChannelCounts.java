package dev.o2v.cli;

import dev.o2v.core.data.PairDataset;
import dev.o2v.core.data.ZeroIdRule;
import java.nio.file.Path;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports what reading a labelled channel left out or will ignore, one log line each, and refuses
 * a channel of which nothing is left.
 */
final class ChannelCounts {

  private static final Logger LOG = LoggerFactory.getLogger(ChannelCounts.class);

  private ChannelCounts() {}

  /**
   * Logs, for channel {@code name}, how many records hold id 0 and how many were discarded.
   *
   * @throws CliException (exit 65) when every record of the channel was discarded
   */
  static void report(String name, Path path, PairDataset data) {
    ZeroIdRule rule = data.schema().zeroIds();
    if (data.zeroIdRecordCount() > 0) {
      // A vocabulary that gave id 0 to a real word loses that word: say so where it shows.
      LOG.info(
          "{} channel: {} records contain id 0, which the model {}",
          name,
          data.zeroIdRecordCount(),
          rule == ZeroIdRule.PADDING
              ? "ignores as padding (a vocabulary's id 0 must be <unk> or unused)"
              : "reads as an ordinary token (model format 1)");
    }
    if (data.discardedCount() > 0) {
      LOG.info(
          "{} channel: {} records discarded (a side was empty{})",
          name,
          data.discardedCount(),
          rule == ZeroIdRule.PADDING ? " or held only id 0" : "");
    }
    if (data.size() == 0 && data.discardedCount() > 0) {
      throw new CliException(
          ExitCodes.DATA,
          String.format(
              Locale.ROOT,
              "%s: all %d records of the %s channel were discarded (every one has a side that "
                  + "is empty%s); nothing is left to use",
              path,
              data.discardedCount(),
              name,
              rule == ZeroIdRule.PADDING ? " or holds only id 0" : ""));
    }
  }
}
