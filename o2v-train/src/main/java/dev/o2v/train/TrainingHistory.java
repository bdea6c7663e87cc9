package dev.o2v.train;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The record of a training run, saved as {@code metrics.json}: per-epoch metrics, the best epoch,
 * the final validation and test metrics and why training stopped.
 *
 * @param epochs one entry per finished epoch
 * @param bestEpoch the epoch whose weights the model holds, numbered from 0 like every epoch in
 *     metric lines and logs; -1 before the first epoch
 * @param stopReason why training ended; null while it runs
 * @param validation validation metrics of the best epoch; empty without a validation channel
 * @param test test metrics of the best model; empty without a test channel
 * @param data channel name ("train", "validation", "test") → what it held; empty in files
 *     written before it was recorded
 * @param network the network's parts and sizes; null in files written before it was recorded
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TrainingHistory(
    @JsonProperty("epochs") List<EpochRecord> epochs,
    @JsonProperty("best_epoch") int bestEpoch,
    @JsonProperty("stop_reason") StopReason stopReason,
    @JsonProperty("validation") Map<String, Double> validation,
    @JsonProperty("test") Map<String, Double> test,
    @JsonProperty("data") Map<String, ChannelFacts> data,
    @JsonProperty("network") NetworkFacts network) {

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
          // A file from a newer o2v may record more; what this version knows still reads.
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  public TrainingHistory {
    epochs = List.copyOf(epochs);
    validation = validation == null ? Map.of() : Map.copyOf(validation);
    test = test == null ? Map.of() : Map.copyOf(test);
    data = data == null ? Map.of() : Map.copyOf(data);
  }

  /** A history without the data and network facts. */
  public TrainingHistory(
      List<EpochRecord> epochs,
      int bestEpoch,
      StopReason stopReason,
      Map<String, Double> validation,
      Map<String, Double> test) {
    this(epochs, bestEpoch, stopReason, validation, test, Map.of(), null);
  }

  /** Before the first epoch. */
  public static TrainingHistory empty() {
    return new TrainingHistory(List.of(), -1, null, Map.of(), Map.of());
  }

  /** This history plus one epoch, with the best epoch so far. */
  public TrainingHistory plus(EpochRecord record, int best) {
    List<EpochRecord> more = new ArrayList<>(epochs);
    more.add(record);
    Map<String, Double> bestValidation = validation;
    if (best == record.epoch()) {
      bestValidation = record.validation();
    }
    return new TrainingHistory(more, best, stopReason, bestValidation, test, data, network);
  }

  /** This history with the run's end recorded. */
  public TrainingHistory finished(StopReason reason, Map<String, Double> testMetrics) {
    return new TrainingHistory(epochs, bestEpoch, reason, validation, testMetrics, data, network);
  }

  /** This history with what the run's channels held and the network it trained. */
  public TrainingHistory withFacts(Map<String, ChannelFacts> channels, NetworkFacts net) {
    return new TrainingHistory(epochs, bestEpoch, stopReason, validation, test, channels, net);
  }

  /** As pretty-printed JSON. */
  public byte[] toJson() {
    try {
      return JSON.writeValueAsBytes(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("training history is not serializable", e);
    }
  }

  /** Reads what {@link #toJson} wrote. */
  public static TrainingHistory fromJson(byte[] json) throws java.io.IOException {
    return JSON.readValue(json, TrainingHistory.class);
  }
}
