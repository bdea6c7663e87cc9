package dev.o2v.benchmarks;

import com.fasterxml.jackson.annotation.JsonProperty;

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

  /** Builds a rate from window totals. */
  static Rate of(long[] windowRecords, double[] windowSeconds, double[] stepMillis) {
    double[] rates = new double[windowRecords.length];
    for (int i = 0; i < rates.length; i++) {
      rates[i] = windowRecords[i] / windowSeconds[i];
    }
    return new Rate(rates, stepMillis);
  }
}
