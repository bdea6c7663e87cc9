package dev.o2v.core.batch;

import dev.o2v.core.data.PairDataset;
import dev.o2v.core.hp.EmbeddingStorage;
import dev.o2v.core.hp.Hyperparameters;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Plans the mini-batches of each training epoch: given records plus fresh negatives, shuffled
 * with a seeded RNG, optionally bucketed by length.
 *
 * <p>Epoch {@code e} uses its own RNG derived from {@code (seed, e)}, so {@code plan(e)} is the
 * same whatever was planned before it. Every pair of the epoch appears in exactly one batch;
 * batches hold {@code batchSize} pairs except the last one (or the last one of each bucket).
 *
 * <p><b>Bucketing</b> ({@code bucketWidth = w > 0}): a pair's cell is {@code (len0 / (w + 1),
 * len1 / (w + 1))}, so two pairs in a cell differ by at most {@code w} in each side's length and a
 * batch drawn from one cell pads each side by at most {@code w}. The order within a cell comes
 * from the epoch's shuffle, and the batches of all cells are shuffled together.
 */
public final class BatchPlanner {

  private final PairDataset data;
  private final int batchSize;
  private final int bucketWidth;
  private final NegativeSampler sampler;
  private final long seed;

  /**
   * Creates a planner.
   *
   * @param data the training records
   * @param batchSize pairs per mini-batch
   * @param bucketWidth maximum length difference within a batch; 0 disables bucketing
   * @param negativeRate negatives per record ({@code negative_sampling_rate})
   * @param seed shuffle and negative-sampling seed
   */
  public BatchPlanner(PairDataset data, int batchSize, int bucketWidth, int negativeRate,
      long seed) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be >= 1, found " + batchSize);
    }
    if (bucketWidth < 0) {
      throw new IllegalArgumentException("bucket width must be >= 0, found " + bucketWidth);
    }
    this.data = data;
    this.batchSize = batchSize;
    this.bucketWidth = bucketWidth;
    this.sampler = new NegativeSampler(negativeRate);
    this.seed = seed;
  }

  /**
   * A planner with {@code mini_batch_size}, {@code bucket_width} and {@code
   * negative_sampling_rate}; bucketing is off with row-sparse embeddings, as the specification
   * requires (the caller logs the warning).
   */
  public static BatchPlanner forTraining(PairDataset data, Hyperparameters hp, long seed) {
    boolean sparse = hp.embeddingStorage() == EmbeddingStorage.ROW_SPARSE;
    return new BatchPlanner(data, hp.miniBatchSize(), sparse ? 0 : hp.bucketWidth(),
        hp.negativeSamplingRate(), seed);
  }

  /** The batches of epoch {@code epoch} (0-based). */
  public EpochPlan plan(int epoch) {
    SplittableRandom rng = new SplittableRandom(Seeds.derive(seed, epoch));
    long[] refs = sampler.epochRefs(data.size(), rng);
    shuffle(refs, rng);
    return bucketWidth == 0 ? EpochPlan.chunked(refs, batchSize) : bucketed(refs, rng);
  }

  private EpochPlan bucketed(long[] refs, SplittableRandom rng) {
    int[] cellOf = new int[refs.length];
    int cells = assignCells(refs, cellOf);
    // Stable counting sort by cell keeps the shuffled order inside each cell.
    int[] cellStart = new int[cells + 1];
    for (int c : cellOf) {
      cellStart[c + 1]++;
    }
    for (int c = 0; c < cells; c++) {
      cellStart[c + 1] += cellStart[c];
    }
    long[] grouped = new long[refs.length];
    int[] fill = java.util.Arrays.copyOf(cellStart, cells);
    for (int k = 0; k < refs.length; k++) {
      grouped[fill[cellOf[k]]++] = refs[k];
    }
    return shuffledBatches(grouped, cellStart, rng);
  }

  /** Gives each ref a dense cell number; returns the number of cells. */
  private int assignCells(long[] refs, int[] cellOf) {
    int width = bucketWidth + 1;
    Map<Long, Integer> cellIds = new HashMap<>();
    for (int k = 0; k < refs.length; k++) {
      int b0 = data.length(0, RecordRefs.in0Source(refs[k])) / width;
      int b1 = data.length(1, RecordRefs.in1Source(refs[k])) / width;
      long key = ((long) b0 << 32) | b1;
      Integer id = cellIds.get(key);
      if (id == null) {
        id = cellIds.size();
        cellIds.put(key, id);
      }
      cellOf[k] = id;
    }
    return cellIds.size();
  }

  /** Cuts every cell into batches and lays the batches out in a random order. */
  private EpochPlan shuffledBatches(long[] grouped, int[] cellStart, SplittableRandom rng) {
    int cells = cellStart.length - 1;
    int batches = 0;
    for (int c = 0; c < cells; c++) {
      batches += (cellStart[c + 1] - cellStart[c] + batchSize - 1) / batchSize;
    }
    int[] from = new int[batches];
    int[] to = new int[batches];
    int b = 0;
    for (int c = 0; c < cells; c++) {
      for (int s = cellStart[c]; s < cellStart[c + 1]; s += batchSize) {
        from[b] = s;
        to[b++] = Math.min(s + batchSize, cellStart[c + 1]);
      }
    }
    int[] order = new int[batches];
    for (int i = 0; i < batches; i++) {
      order[i] = i;
    }
    shuffle(order, rng);
    long[] out = new long[grouped.length];
    int[] starts = new int[batches + 1];
    int at = 0;
    for (int i = 0; i < batches; i++) {
      int src = order[i];
      starts[i] = at;
      System.arraycopy(grouped, from[src], out, at, to[src] - from[src]);
      at += to[src] - from[src];
    }
    starts[batches] = at;
    return new EpochPlan(out, starts);
  }

  /** Fisher-Yates shuffle. */
  static void shuffle(long[] a, SplittableRandom rng) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      long t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }

  private static void shuffle(int[] a, SplittableRandom rng) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }
}
