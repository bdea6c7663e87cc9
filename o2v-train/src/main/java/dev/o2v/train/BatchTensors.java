package dev.o2v.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.o2v.core.batch.Batch;

/**
 * Copies a padded {@link Batch} of primitive arrays into engine tensors, one call per array,
 * through {@link HostTensors}.
 */
public final class BatchTensors {

  private BatchTensors() {}

  /**
   * The network's inputs.
   *
   * @return {@code NDList(ids0 [B, T0] int32, len0 [B] int32, ids1 [B, T1] int32, len1 [B] int32)}
   */
  public static NDList inputs(NDManager manager, Batch batch) {
    NDList inputs = new NDList(4);
    for (int side = 0; side < 2; side++) {
      inputs.add(
          HostTensors.ints(
              manager, batch.ids(side), new Shape(batch.size(), batch.maxLength(side))));
      inputs.add(HostTensors.ints(manager, batch.lengths(side)));
    }
    return inputs;
  }

  /** The labels, {@code [B]} float32 (class index or regression target). */
  public static NDArray labels(NDManager manager, Batch batch) {
    return HostTensors.floats(manager, batch.labels());
  }
}
