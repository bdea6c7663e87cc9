package dev.o2v.core.synthetic;

/**
 * One generated record.
 *
 * @param in0 ids of side 0
 * @param in1 ids of side 1
 * @param label class index or regression target
 */
public record PairExample(int[] in0, int[] in1, double label) {}
