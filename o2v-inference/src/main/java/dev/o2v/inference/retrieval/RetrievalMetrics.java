package dev.o2v.inference.retrieval;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Retrieval quality from the rank of each query's true match (1 = ranked first).
 *
 * @param queries number of queries
 * @param corpus number of corpus items ranked for each query
 * @param ks the cut-offs of {@link #hits}, ascending
 * @param hits for each cut-off {@code k}, the fraction of queries whose rank is at most {@code k}
 * @param meanRank the mean rank
 * @param meanReciprocalRank the mean of 1 / rank (MRR)
 * @param rankPercentiles the 50th, 80th, 90th and 99th percentile of the ranks (nearest rank)
 */
public record RetrievalMetrics(
    int queries,
    int corpus,
    int[] ks,
    double[] hits,
    double meanRank,
    double meanReciprocalRank,
    int[] rankPercentiles) {

  /** The percentiles reported in {@link #rankPercentiles}. */
  public static final int[] PERCENTILES = {50, 80, 90, 99};

  /**
   * The metrics of {@code ranks}.
   *
   * @param ks cut-offs for hits@k, each at least 1 (sorted and deduplicated here)
   * @throws IllegalArgumentException when there are no ranks or a cut-off is below 1
   */
  public static RetrievalMetrics of(int[] ranks, int[] ks, int corpus) {
    if (ranks.length == 0) {
      throw new IllegalArgumentException("no queries to rank");
    }
    int[] cuts = Arrays.stream(ks).sorted().distinct().toArray();
    if (cuts.length == 0 || cuts[0] < 1) {
      throw new IllegalArgumentException("hits@k needs k >= 1, found " + Arrays.toString(ks));
    }
    double[] hits = new double[cuts.length];
    double rankSum = 0;
    double reciprocalSum = 0;
    for (int rank : ranks) {
      rankSum += rank;
      reciprocalSum += 1.0 / rank;
      for (int i = 0; i < cuts.length; i++) {
        if (rank <= cuts[i]) {
          hits[i]++;
        }
      }
    }
    for (int i = 0; i < hits.length; i++) {
      hits[i] /= ranks.length;
    }
    int[] sorted = ranks.clone();
    Arrays.sort(sorted);
    int[] percentiles = new int[PERCENTILES.length];
    for (int i = 0; i < PERCENTILES.length; i++) {
      int index = (int) Math.ceil(PERCENTILES[i] / 100.0 * sorted.length) - 1;
      percentiles[i] = sorted[Math.max(0, index)];
    }
    return new RetrievalMetrics(ranks.length, corpus, cuts, hits, rankSum / ranks.length,
        reciprocalSum / ranks.length, percentiles);
  }

  /**
   * The named values in report order: {@code hits@k} for each cut-off, {@code mean_rank},
   * {@code mrr}.
   */
  public Map<String, Double> named() {
    Map<String, Double> out = new LinkedHashMap<>();
    for (int i = 0; i < ks.length; i++) {
      out.put("hits@" + ks[i], hits[i]);
    }
    out.put("mean_rank", meanRank);
    out.put("mrr", meanReciprocalRank);
    return out;
  }

  /** True for the metrics where lower is better (reported as {@code <loss>}). */
  public static boolean lowerIsBetter(String name) {
    return name.equals("mean_rank");
  }

  /**
   * One JSON object, e.g. {@code {"queries":500,"corpus":480,"ranked_by":"cosine",
   * "hits@1":0.27,...,"mean_rank":12.4,"mrr":0.41,"rank_percentiles":{"50":3,...}}}.
   */
  public String toJson(String rankedBy) {
    StringBuilder out = new StringBuilder(256);
    out.append(String.format(Locale.ROOT, "{\"queries\":%d,\"corpus\":%d,\"ranked_by\":\"%s\"",
        queries, corpus, rankedBy));
    named().forEach((name, value) ->
        out.append(String.format(Locale.ROOT, ",\"%s\":%s", name, number(value))));
    out.append(",\"rank_percentiles\":{");
    for (int i = 0; i < PERCENTILES.length; i++) {
      out.append(i > 0 ? "," : "").append(String.format(Locale.ROOT, "\"%d\":%d",
          PERCENTILES[i], rankPercentiles[i]));
    }
    return out.append("}}").toString();
  }

  private static String number(double value) {
    return String.format(Locale.ROOT, "%.6g", value);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RetrievalMetrics m && queries == m.queries && corpus == m.corpus
        && Arrays.equals(ks, m.ks) && Arrays.equals(hits, m.hits) && meanRank == m.meanRank
        && meanReciprocalRank == m.meanReciprocalRank
        && Arrays.equals(rankPercentiles, m.rankPercentiles);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(hits) * 31 + Double.hashCode(meanRank);
  }

  @Override
  public String toString() {
    return toJson("?");
  }
}
