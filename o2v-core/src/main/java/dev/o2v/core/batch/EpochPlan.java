package dev.o2v.core.batch;

import java.util.Arrays;

/**
 * The mini-batches of one epoch, in order: batch {@code b} is the record refs {@code
 * refs[start(b) .. end(b))} (see {@link RecordRefs}).
 */
public final class EpochPlan {

  private final long[] refs;
  private final int[] starts;

  EpochPlan(long[] refs, int[] starts) {
    if (starts.length == 0 || starts[0] != 0 || starts[starts.length - 1] != refs.length) {
      throw new IllegalStateException("batch boundaries do not cover the refs");
    }
    this.refs = refs;
    this.starts = starts;
  }

  /** Consecutive batches of {@code batchSize} records, in order (validation, test, inference). */
  public static EpochPlan inOrder(int records, int batchSize) {
    long[] refs = new long[records];
    for (int i = 0; i < records; i++) {
      refs[i] = RecordRefs.positive(i);
    }
    return chunked(refs, batchSize);
  }

  static EpochPlan chunked(long[] refs, int batchSize) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be >= 1, found " + batchSize);
    }
    int batches = (refs.length + batchSize - 1) / batchSize;
    int[] starts = new int[batches + 1];
    for (int b = 0; b < batches; b++) {
      starts[b] = b * batchSize;
    }
    starts[batches] = refs.length;
    return new EpochPlan(refs, starts);
  }

  /** Number of mini-batches. */
  public int batchCount() {
    return starts.length - 1;
  }

  /** Number of pairs in the epoch (given records plus negatives). */
  public int pairCount() {
    return refs.length;
  }

  /** Index of the first ref of batch {@code b}. */
  public int start(int b) {
    return starts[b];
  }

  /** Index one past the last ref of batch {@code b}. */
  public int end(int b) {
    return starts[b + 1];
  }

  /** Number of pairs in batch {@code b}. */
  public int batchSize(int b) {
    return starts[b + 1] - starts[b];
  }

  /** The ref at {@code index} of the whole epoch. */
  public long ref(int index) {
    return refs[index];
  }

  /** A copy of the refs of batch {@code b}. */
  public long[] batchRefs(int b) {
    return Arrays.copyOfRange(refs, starts[b], starts[b + 1]);
  }

  long[] refsArray() {
    return refs;
  }
}
