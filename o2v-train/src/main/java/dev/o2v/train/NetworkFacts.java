package dev.o2v.train;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.o2v.encoders.ModelSummary;
import java.util.List;

/**
 * The network's parts and sizes as {@link ModelSummary} tells them, recorded in {@code
 * metrics.json} so that a report needs no engine to show them.
 *
 * @param parts the parts in forward order
 * @param totalParameters number of scalar weights
 */
public record NetworkFacts(
    @JsonProperty("parts") List<Part> parts,
    @JsonProperty("total_parameters") long totalParameters) {

  public NetworkFacts {
    parts = parts == null ? List.of() : List.copyOf(parts);
  }

  /**
   * One part of the network.
   *
   * @param name e.g. "encoder0"
   * @param outputShape its output shape for one mini-batch of the longest sequences
   * @param parameters scalar weights it owns
   * @param note extra information, empty when none
   */
  public record Part(
      @JsonProperty("name") String name,
      @JsonProperty("output_shape") String outputShape,
      @JsonProperty("parameters") long parameters,
      @JsonProperty("note") String note) {}

  /** The facts of a summary. */
  public static NetworkFacts of(ModelSummary summary) {
    List<Part> parts = summary.rows().stream()
        .map(r -> new Part(r.name(), r.outputShape().toString(), r.parameters(), r.note()))
        .toList();
    return new NetworkFacts(parts, summary.totalParameters());
  }
}
