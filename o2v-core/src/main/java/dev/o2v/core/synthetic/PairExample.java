package dev.o2v.core.synthetic;

import dev.o2v.core.data.DataSchema;
import dev.o2v.core.data.PairDataset;

/**
 * One generated record.
 *
 * @param in0 ids of side 0
 * @param in1 ids of side 1
 * @param label class index or regression target
 */
public record PairExample(int[] in0, int[] in1, double label) {

  /** The examples, in order, as a compact dataset of {@code schema}. */
  public static PairDataset toDataset(DataSchema schema, Iterable<PairExample> examples) {
    PairDataset.Builder builder = PairDataset.builder(schema);
    for (PairExample e : examples) {
      builder.add(e.in0(), e.in1(), (float) e.label());
    }
    return builder.build();
  }
}
