package dev.o2v.train;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.o2v.core.data.DatasetSummary;
import dev.o2v.core.data.PairDataset;
import java.util.List;

/**
 * What one data channel of a training run held, as recorded in {@code metrics.json} for the
 * training report.
 *
 * @param records records used
 * @param discarded records left out while reading (a side empty or only padding)
 * @param sides per-side lengths (index 0 and 1)
 * @param labelKind "class", "regression" or "ignored"
 * @param classCounts records per class; empty unless labels are classes
 * @param labelStats min/mean/max/std of regression labels; null otherwise
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ChannelFacts(
    @JsonProperty("records") long records,
    @JsonProperty("discarded") long discarded,
    @JsonProperty("sides") List<SideFacts> sides,
    @JsonProperty("label_kind") String labelKind,
    @JsonProperty("class_counts") List<Long> classCounts,
    @JsonProperty("label_stats") DatasetSummary.LabelStats labelStats) {

  public ChannelFacts {
    sides = sides == null ? List.of() : List.copyOf(sides);
    classCounts = classCounts == null ? List.of() : List.copyOf(classCounts);
  }

  /**
   * Lengths of one side as the network sees them (truncated, without padding).
   *
   * @param present records carrying the side
   * @param tokens ids kept
   * @param p50 median length
   * @param p90 90th percentile length
   * @param p99 99th percentile length
   * @param max longest length
   * @param truncated records cut to {@code max_seq_len}
   */
  public record SideFacts(
      @JsonProperty("present") long present,
      @JsonProperty("tokens") long tokens,
      @JsonProperty("p50") int p50,
      @JsonProperty("p90") int p90,
      @JsonProperty("p99") int p99,
      @JsonProperty("max") int max,
      @JsonProperty("truncated") long truncated) {}

  /** The facts of a loaded channel. */
  public static ChannelFacts of(PairDataset data) {
    DatasetSummary summary = DatasetSummary.of(data);
    List<SideFacts> sides = summary.sides().stream()
        .map(s -> new SideFacts(s.present(), s.tokens(), s.p50(), s.p90(), s.p99(), s.max(),
            s.truncated()))
        .toList();
    return new ChannelFacts(summary.records(), data.discardedCount(), sides,
        summary.labelKind().name().toLowerCase(java.util.Locale.ROOT), summary.classCounts(),
        summary.labelStats());
  }
}
