package dev.o2v.core.data;

import java.util.BitSet;

/**
 * How often each token of a training split recurs in it, on average, per token table: the ids
 * the table's sides hold, divided by the number of distinct ids among them.
 *
 * <p>A token that recurs often has its vector shaped by training; a rare one is mostly known by
 * the random vector it started with. Whether an hcnn network starts from PyTorch's layer
 * defaults (large token vectors) or from its own small ones is chosen by this number.
 *
 * @param table0 mean occurrences per distinct id of table 0 (both sides when the table is tied),
 *     NaN when unknown or when the sides hold no id
 * @param table1 the same for table 1 (NaN for a tied table)
 */
public record TokenRecurrence(double table0, double table1) {

  /** No training split known: every table's recurrence is NaN. */
  public static final TokenRecurrence UNKNOWN = new TokenRecurrence(Double.NaN, Double.NaN);

  /** The recurrence of {@code train}'s tokens for a network whose tables are tied or not. */
  public static TokenRecurrence of(PairDataset train, boolean tied) {
    if (tied) {
      return new TokenRecurrence(meanOccurrences(train, 0, 1), Double.NaN);
    }
    return new TokenRecurrence(meanOccurrences(train, 0), meanOccurrences(train, 1));
  }

  /** The recurrence of table {@code table} (0 or 1). */
  public double of(int table) {
    return DataSchema.checkSide(table) == 0 ? table0 : table1;
  }

  private static double meanOccurrences(PairDataset train, int... sides) {
    BitSet seen = new BitSet();
    long occurrences = 0;
    for (int side : sides) {
      for (int i = 0; i < train.size(); i++) {
        int length = train.length(side, i);
        for (int position = 0; position < length; position++) {
          seen.set(train.id(side, i, position));
        }
        occurrences += length;
      }
    }
    int distinct = seen.cardinality();
    return distinct == 0 ? Double.NaN : (double) occurrences / distinct;
  }
}
