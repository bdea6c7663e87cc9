package dev.o2v.core.data;

import java.util.List;
import java.util.Locale;

/**
 * Counts and distributions of a {@link PairDataset}, for logs and {@code o2v train --dry-run}.
 *
 * @param records number of records
 * @param sides per-side token counts and length percentiles (index 0 and 1)
 * @param labelKind kind of the labels summarised
 * @param classCounts records per class (empty unless labels are classes)
 * @param labelStats min/mean/max/std of the labels (null unless labels are regression targets)
 */
public record DatasetSummary(
    int records,
    List<SideSummary> sides,
    LabelKind labelKind,
    List<Long> classCounts,
    LabelStats labelStats) {

  /** Defensive copies. */
  public DatasetSummary {
    sides = List.copyOf(sides);
    classCounts = List.copyOf(classCounts);
  }

  /**
   * Token and length statistics of one side; lengths are as the network sees them (after
   * truncation, without padding zeros) and over the records that carry the side. Percentiles use
   * the nearest-rank rule.
   *
   * @param present records that carry the side
   * @param tokens total ids kept
   * @param p50 median length
   * @param p90 90th percentile length
   * @param p99 99th percentile length
   * @param max longest length
   * @param truncated records that were cut to {@code max_seq_len}
   */
  public record SideSummary(
      long present, long tokens, int p50, int p90, int p99, int max, long truncated) {}

  /**
   * Summary statistics of regression labels (population standard deviation).
   *
   * @param min smallest label
   * @param mean mean label
   * @param max largest label
   * @param std standard deviation
   */
  public record LabelStats(double min, double mean, double max, double std) {

    /** The statistics of a non-empty dataset's labels, accumulated in double precision. */
    public static LabelStats of(PairDataset data) {
      if (data.size() == 0) {
        throw new IllegalArgumentException("label statistics need at least one record");
      }
      double min = Double.POSITIVE_INFINITY;
      double max = Double.NEGATIVE_INFINITY;
      double sum = 0;
      for (int i = 0; i < data.size(); i++) {
        double v = data.label(i);
        min = Math.min(min, v);
        max = Math.max(max, v);
        sum += v;
      }
      double mean = sum / data.size();
      double squares = 0;
      for (int i = 0; i < data.size(); i++) {
        double d = data.label(i) - mean;
        squares += d * d;
      }
      return new LabelStats(min, mean, max, Math.sqrt(squares / data.size()));
    }
  }

  /** Computes the summary in two passes over the dataset's primitive arrays. */
  public static DatasetSummary of(PairDataset data) {
    List<SideSummary> sides = List.of(side(data, 0), side(data, 1));
    LabelKind kind = data.schema().labelKind();
    List<Long> classCounts = kind == LabelKind.CLASS ? classCounts(data) : List.of();
    LabelStats stats = kind == LabelKind.REGRESSION && data.size() > 0 ? LabelStats.of(data) : null;
    return new DatasetSummary(data.size(), sides, kind, classCounts, stats);
  }

  private static SideSummary side(PairDataset data, int side) {
    // Lengths are bounded by max_seq_len, so a counting histogram gives exact percentiles.
    long[] histogram = new long[data.schema().maxSeqLen(side) + 1];
    long present = 0;
    for (int i = 0; i < data.size(); i++) {
      int len = data.length(side, i);
      if (len > 0) {
        histogram[len]++;
        present++;
      }
    }
    return new SideSummary(present, data.tokenCount(side),
        percentile(histogram, present, 50), percentile(histogram, present, 90),
        percentile(histogram, present, 99), percentile(histogram, present, 100),
        data.truncatedCount(side));
  }

  /** Nearest rank: the smallest length whose cumulative count reaches ceil(q% of n). */
  static int percentile(long[] histogram, long n, int q) {
    if (n == 0) {
      return 0;
    }
    long rank = Math.max(1, (n * q + 99) / 100);
    long seen = 0;
    for (int len = 0; len < histogram.length; len++) {
      seen += histogram[len];
      if (seen >= rank) {
        return len;
      }
    }
    throw new IllegalStateException("histogram holds fewer than " + n + " entries");
  }

  private static List<Long> classCounts(PairDataset data) {
    long[] counts = new long[data.schema().numClasses()];
    for (int i = 0; i < data.size(); i++) {
      counts[(int) data.label(i)]++;
    }
    return java.util.Arrays.stream(counts).boxed().toList();
  }

  /** A readable multi-line rendering, each line ending with a newline. */
  public String format() {
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT, "records: %,d%n", records));
    for (int side = 0; side < 2; side++) {
      SideSummary s = sides.get(side);
      out.append(String.format(Locale.ROOT,
          "%s: %,d records, %,d tokens, length p50=%d p90=%d p99=%d max=%d, truncated %,d%n",
          DataSchema.fieldName(side), s.present(), s.tokens(), s.p50(), s.p90(), s.p99(),
          s.max(), s.truncated()));
    }
    out.append(formatLabels());
    return out.toString();
  }

  private String formatLabels() {
    switch (labelKind) {
      case CLASS: {
        StringBuilder line = new StringBuilder("labels:");
        for (int c = 0; c < classCounts.size(); c++) {
          double share = records == 0 ? 0 : 100.0 * classCounts.get(c) / records;
          line.append(String.format(Locale.ROOT, "%s class %d: %,d (%.1f%%)",
              c == 0 ? "" : ",", c, classCounts.get(c), share));
        }
        return line.append(String.format(Locale.ROOT, "%n")).toString();
      }
      case REGRESSION:
        return labelStats == null
            ? String.format(Locale.ROOT, "labels: none%n")
            : String.format(Locale.ROOT, "labels: min=%.4g mean=%.4g max=%.4g std=%.4g%n",
                labelStats.min(), labelStats.mean(), labelStats.max(), labelStats.std());
      default:
        return String.format(Locale.ROOT, "labels: ignored%n");
    }
  }
}
