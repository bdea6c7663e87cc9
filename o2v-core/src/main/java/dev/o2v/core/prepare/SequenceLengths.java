package dev.o2v.core.prepare;

import java.util.Arrays;

/** The sequence length prepare picks for {@code encX_max_seq_len}. */
final class SequenceLengths {

  /** The largest {@code max_seq_len} the hyperparameters allow. */
  static final int MAX_SEQ_LEN = 5000;

  private SequenceLengths() {}

  /**
   * The 99th percentile of {@code lengths} by the nearest-rank rule (the smallest length that at
   * least 99% of sequences do not exceed), clamped to 1..5000; 1 when there are none.
   */
  static int percentile99(int[] lengths) {
    if (lengths.length == 0) {
      return 1;
    }
    int[] sorted = lengths.clone();
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(0.99 * sorted.length);
    return Math.max(1, Math.min(MAX_SEQ_LEN, sorted[Math.max(0, rank - 1)]));
  }
}
