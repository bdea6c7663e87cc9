package dev.o2v.core.batch;

import dev.o2v.core.data.DataException;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Builds one epoch's pairs: every given record once, plus {@code rate} negatives per record that
 * pair its {@code in0} with the {@code in1} of a uniformly drawn other record (label 0).
 */
public final class NegativeSampler {

  private final int rate;

  /**
   * A sampler that adds {@code rate} negatives per record.
   *
   * @param rate {@code negative_sampling_rate}, 0 for none
   */
  public NegativeSampler(int rate) {
    if (rate < 0) {
      throw new IllegalArgumentException("negative sampling rate must be >= 0, found " + rate);
    }
    this.rate = rate;
  }

  /** Negatives per record. */
  public int rate() {
    return rate;
  }

  /**
   * The refs of one epoch, unshuffled: positives {@code 0..n-1} first, then the negatives of
   * record 0, record 1, ...
   *
   * @param records dataset size
   * @param rng source of the draws; fresh state each epoch gives fresh negatives
   * @throws DataException when negatives are requested for fewer than two records
   */
  public long[] epochRefs(int records, SplittableRandom rng) {
    if (rate > 0 && records < 2) {
      throw new DataException(String.format(Locale.ROOT,
          "negative_sampling_rate=%d needs at least 2 training records, found %d", rate, records));
    }
    long total = (long) records * (1 + rate);
    if (total > Integer.MAX_VALUE - 8) {
      throw new DataException(String.format(Locale.ROOT,
          "%d records with negative_sampling_rate=%d make %d pairs per epoch, over the limit %d",
          records, rate, total, Integer.MAX_VALUE - 8));
    }
    long[] refs = new long[(int) total];
    for (int i = 0; i < records; i++) {
      refs[i] = RecordRefs.positive(i);
    }
    int at = records;
    for (int i = 0; i < records; i++) {
      for (int k = 0; k < rate; k++) {
        refs[at++] = RecordRefs.pair(i, otherRecord(i, records, rng));
      }
    }
    return refs;
  }

  /** A record index uniform over {@code [0, n) \ {i}}. */
  static int otherRecord(int i, int n, SplittableRandom rng) {
    int j = rng.nextInt(n - 1);
    return j >= i ? j + 1 : j;
  }
}
