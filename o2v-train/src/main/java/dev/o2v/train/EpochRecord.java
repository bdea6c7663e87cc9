package dev.o2v.train;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/**
 * What one epoch measured.
 *
 * @param epoch epoch number, from 0
 * @param train metric name → value on the training batches (with dropout, as trained)
 * @param validation metric name → value on the validation channel; empty without one
 * @param throughput training records (negatives included) per second of training
 * @param seconds wall time of the epoch's training steps
 * @param improved whether this epoch's early-stopping loss (validation, else training) is the
 *     lowest so far, so that its weights became the model's
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record EpochRecord(
    @JsonProperty("epoch") int epoch,
    @JsonProperty("train") Map<String, Double> train,
    @JsonProperty("validation") Map<String, Double> validation,
    @JsonProperty("throughput_records_per_second") double throughput,
    @JsonProperty("seconds") double seconds,
    @JsonProperty("improved") boolean improved) {

  /** Empty maps are not written, so a record read back gets them as empty, never null. */
  public EpochRecord {
    train = train == null ? Map.of() : train;
    validation = validation == null ? Map.of() : validation;
  }
}
