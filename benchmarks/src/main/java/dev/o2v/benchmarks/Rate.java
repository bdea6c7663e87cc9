package dev.o2v.benchmarks;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Arrays;
import java.util.List;

/**
 * A throughput measured over several timed windows.
 *
 * @param recordsPerSecond records/s of each window
 * @param stepMillis wall time of every timed step (or inference batch), in milliseconds
 */
public record Rate(double[] recordsPerSecond, double[] stepMillis) {

  /** The median over windows, the value reported. */
  @JsonProperty
  public double median() {
    return Stats.median(recordsPerSecond);
  }

  /** The median time of one step or batch. */
  @JsonProperty
  public double medianStepMillis() {
    return Stats.median(stepMillis);
  }

  /**
   * The windows and steps of several measurements of one thing taken as one measurement (for
   * rounds that alternate with another side's, so that both sample the same spells of a shared
   * machine).
   */
  static Rate pooled(List<Rate> rates) {
    double[] windows = rates.stream().flatMapToDouble(r -> Arrays.stream(r.recordsPerSecond))
        .toArray();
    double[] steps = rates.stream().flatMapToDouble(r -> Arrays.stream(r.stepMillis)).toArray();
    return new Rate(windows, steps);
  }

  /** Builds a rate from window totals. */
  static Rate of(long[] windowRecords, double[] windowSeconds, double[] stepMillis) {
    double[] rates = new double[windowRecords.length];
    for (int i = 0; i < rates.length; i++) {
      rates[i] = windowRecords[i] / windowSeconds[i];
    }
    return new Rate(rates, stepMillis);
  }
}
