package dev.o2v.core.batch;

import dev.o2v.core.data.DataSchema;
import dev.o2v.core.data.LabelKind;
import dev.o2v.core.data.PairDataset;
import dev.o2v.core.data.SidePolicy;
import java.util.SplittableRandom;

/** Small datasets for batch tests: record i's first id on each side is i % 1000. */
final class TestData {

  private TestData() {}

  static PairDataset randomLengths(int records, int maxLen, long seed) {
    DataSchema schema = new DataSchema(1000, maxLen, 1000, maxLen, LabelKind.CLASS, 2,
        SidePolicy.BOTH_REQUIRED);
    SplittableRandom rng = new SplittableRandom(seed);
    PairDataset.Builder b = PairDataset.builder(schema);
    for (int i = 0; i < records; i++) {
      b.add(ids(i, 1 + rng.nextInt(maxLen)), ids(i, 1 + rng.nextInt(maxLen)), 1f);
    }
    return b.build();
  }

  static int[] ids(int record, int length) {
    int[] out = new int[length];
    for (int k = 0; k < length; k++) {
      out[k] = (record + k) % 1000;
    }
    return out;
  }
}
