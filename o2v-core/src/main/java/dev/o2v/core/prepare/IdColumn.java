package dev.o2v.core.prepare;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Columns of integer ids (MovieLens-style user and item columns) that pass through as ids. */
final class IdColumn {

  private static final Logger LOG = LoggerFactory.getLogger(IdColumn.class);

  private IdColumn() {}

  /** Whether every value of {@code side} is a non-negative decimal integer. */
  static boolean allIds(List<TextRow> rows, int side) {
    return rows.stream().allMatch(r -> isId(r.side(side)));
  }

  /**
   * The one-element id sequence of each row.
   *
   * @throws PrepareException naming the line of a value that is not an id, or an id too large
   *     for any vocabulary
   */
  static int[][] parse(List<TextRow> rows, int side, Path source, String column) {
    int[][] ids = new int[rows.size()][];
    long zeros = 0;
    for (int i = 0; i < ids.length; i++) {
      TextRow row = rows.get(i);
      String value = row.side(side);
      if (!isId(value)) {
        throw PrepareException.at(source, row.line(),
            column + " must be a non-negative integer id, found '" + value + "'");
      }
      long id = value.length() > 12 ? Long.MAX_VALUE : Long.parseLong(value);
      if (id >= PrepareOptions.MAX_VOCAB_SIZE) {
        throw PrepareException.at(source, row.line(), String.format(Locale.ROOT,
            "%s id %s needs a vocabulary larger than %d (to tokenize it as text, set the"
                + " column kind to text)", column, value, PrepareOptions.MAX_VOCAB_SIZE));
      }
      ids[i] = new int[] {(int) id};
      if (id == 0) {
        zeros++;
      }
    }
    if (zeros > 0) {
      // Id 0 is padding: such a record has an empty side and training discards it.
      LOG.warn("{}: {} rows have id 0, which the model ignores as padding, so training discards"
          + " them; number the ids from 1", column, zeros);
    }
    return ids;
  }

  private static boolean isId(String value) {
    if (value.isEmpty()) {
      return false;
    }
    for (int k = 0; k < value.length(); k++) {
      char c = value.charAt(k);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }
}
