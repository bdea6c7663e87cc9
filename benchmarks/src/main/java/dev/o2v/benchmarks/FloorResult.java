package dev.o2v.benchmarks;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * A training step against this machine's physical floor, over rounds that each measure the rates
 * and then the step ({@link FloorRound}).
 *
 * <p>The floor takes the best bandwidth and the best matmul rate of any round: a floor is the
 * least time the machine allows, and the same measurement read 51 and 99 GB/s in two rounds of
 * one process here while the step did not change. The step is the median of the rounds' steps.
 *
 * @param workload the measured workload's name
 * @param cost bytes and FLOPs one step must at least move and compute
 * @param rounds the rounds, in the order measured; at least one
 * @param referenceStepMillis median PyTorch reference step time from the throughput suite, NaN
 *     when not run
 */
public record FloorResult(
    String workload, StepCost cost, List<FloorRound> rounds, double referenceStepMillis) {

  /** Copies the rounds and checks there is one. */
  public FloorResult {
    rounds = List.copyOf(rounds);
    if (rounds.isEmpty()) {
      throw new IllegalArgumentException("a floor result needs at least one round");
    }
  }

  /** The best memory bandwidth of any round, bytes per second ({@link MachineRates#bandwidth}). */
  @JsonProperty
  public double bandwidth() {
    return max(r -> r.rates().bandwidth());
  }

  /** The best matmul rate of any round, floating-point operations per second. */
  @JsonProperty
  public double matmulFlopsPerSecond() {
    return max(r -> r.rates().matmulFlopsPerSecond());
  }

  /** Floor step time in milliseconds (memory and compute perfectly overlapped). */
  @JsonProperty
  public double floorMillis() {
    return cost.floorSeconds(bandwidth(), matmulFlopsPerSecond()) * 1e3;
  }

  /** Optimizer memory traffic time in milliseconds at the best bandwidth. */
  @JsonProperty
  public double memoryMillis() {
    return cost.memorySeconds(bandwidth()) * 1e3;
  }

  /** Arithmetic time in milliseconds at the best matmul rate. */
  @JsonProperty
  public double computeMillis() {
    return cost.computeSeconds(matmulFlopsPerSecond()) * 1e3;
  }

  /** The median of the rounds' o2v step times, milliseconds. */
  @JsonProperty
  public double o2vStepMillis() {
    return median(FloorRound::o2vStepMillis);
  }

  /** o2v's step time as a multiple of the floor. */
  @JsonProperty
  public double o2vMultiple() {
    return o2vStepMillis() / floorMillis();
  }

  /** The reference's step time as a multiple of the floor. */
  @JsonProperty
  public double referenceMultiple() {
    return referenceStepMillis / floorMillis();
  }

  /** The median over the rounds of {@code value}. */
  private double median(ToDoubleFunction<FloorRound> value) {
    return Stats.median(rounds.stream().mapToDouble(value).toArray());
  }

  private double max(ToDoubleFunction<FloorRound> value) {
    return Stats.max(rounds.stream().mapToDouble(value).toArray());
  }
}
