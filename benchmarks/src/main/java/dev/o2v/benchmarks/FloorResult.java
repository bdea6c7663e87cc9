package dev.o2v.benchmarks;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A training step against this machine's physical floor.
 *
 * @param workload the measured workload's name
 * @param cost bytes and FLOPs one step must at least move and compute
 * @param rates measured bandwidth and matmul rate
 * @param o2vStepMillis median o2v training step time
 * @param referenceStepMillis median PyTorch reference step time, NaN when not run
 */
public record FloorResult(
    String workload,
    StepCost cost, MachineRates rates, double o2vStepMillis, double referenceStepMillis) {

  /** Floor step time in milliseconds (memory and compute perfectly overlapped). */
  @JsonProperty
  public double floorMillis() {
    return cost.floorSeconds(rates.bandwidth(), rates.matmulFlopsPerSecond()) * 1e3;
  }

  /** Optimizer memory traffic time in milliseconds. */
  @JsonProperty
  public double memoryMillis() {
    return cost.memorySeconds(rates.bandwidth()) * 1e3;
  }

  /** Arithmetic time in milliseconds at the peak matmul rate. */
  @JsonProperty
  public double computeMillis() {
    return cost.computeSeconds(rates.matmulFlopsPerSecond()) * 1e3;
  }

  /** o2v's step time as a multiple of the floor. */
  @JsonProperty
  public double o2vMultiple() {
    return o2vStepMillis / floorMillis();
  }

  /** The reference's step time as a multiple of the floor. */
  @JsonProperty
  public double referenceMultiple() {
    return referenceStepMillis / floorMillis();
  }
}
