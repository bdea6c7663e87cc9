package dev.o2v.core.batch;

import dev.o2v.core.data.PairDataset;

/** Packs record refs of a {@link PairDataset} into a padded {@link Batch}. */
public final class BatchAssembler {

  private final PairDataset data;

  /** An assembler reading ids and labels from {@code data}. */
  public BatchAssembler(PairDataset data) {
    this.data = data;
  }

  /** The batch {@code b} of an epoch plan. */
  public Batch assemble(EpochPlan plan, int b) {
    return assemble(plan.refsArray(), plan.start(b), plan.end(b));
  }

  /**
   * The batch of {@code refs[from .. to)}: {@code in0} and the label from {@link
   * RecordRefs#in0Source}, {@code in1} from {@link RecordRefs#in1Source}, label 0 for negatives.
   */
  public Batch assemble(long[] refs, int from, int to) {
    int size = to - from;
    int[][] lengths = new int[2][size];
    int[] maxLength = new int[2];
    float[] labels = new float[size];
    for (int r = 0; r < size; r++) {
      long ref = refs[from + r];
      int i0 = RecordRefs.in0Source(ref);
      lengths[0][r] = data.length(0, i0);
      lengths[1][r] = data.length(1, RecordRefs.in1Source(ref));
      labels[r] = RecordRefs.isNegative(ref) ? 0f : data.label(i0);
      maxLength[0] = Math.max(maxLength[0], lengths[0][r]);
      maxLength[1] = Math.max(maxLength[1], lengths[1][r]);
    }
    int[][] ids = new int[2][];
    for (int side = 0; side < 2; side++) {
      int width = maxLength[side];
      ids[side] = new int[size * width];
      for (int r = 0; r < size; r++) {
        long ref = refs[from + r];
        int source = side == 0 ? RecordRefs.in0Source(ref) : RecordRefs.in1Source(ref);
        data.copyIds(side, source, ids[side], r * width);
      }
    }
    return new Batch(size, ids, lengths, maxLength, labels);
  }
}
