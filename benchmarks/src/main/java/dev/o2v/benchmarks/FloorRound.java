package dev.o2v.benchmarks;

/**
 * One round of the floor suite: the machine's rates, then an o2v training step timed right after.
 *
 * @param rates measured bandwidth and matmul rate
 * @param o2vStepMillis median o2v training step time of the round's timed windows
 */
public record FloorRound(MachineRates rates, double o2vStepMillis) {}
