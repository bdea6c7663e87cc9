package dev.o2v.encoders;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.o2v.core.hp.ComparatorOp;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Joins the two encodings into one vector: the configured operators' outputs, concatenated in list
 * order.
 *
 * <p>Input {@code NDList(e0 [B, d], e1 [B, d])}, output {@code NDList([B, W])} where {@code W} is
 * the sum of the operators' widths ({@code hadamard} d, {@code concat} 2d, {@code abs_diff} d). No
 * parameters.
 */
public final class Comparator extends AbstractBlock {

  private static final byte VERSION = 1;

  private final List<ComparatorOp> ops;

  /**
   * Creates a comparator.
   *
   * @param ops operators in output order; not empty, no duplicates
   */
  public Comparator(List<ComparatorOp> ops) {
    super(VERSION);
    if (ops.isEmpty()) {
      throw new IllegalArgumentException("comparator list must not be empty");
    }
    Set<ComparatorOp> seen = EnumSet.noneOf(ComparatorOp.class);
    for (ComparatorOp op : ops) {
      if (!seen.add(op)) {
        throw new IllegalArgumentException(
            "comparator list must not repeat an operator, found " + op.key() + " twice");
      }
    }
    this.ops = List.copyOf(ops);
  }

  /** The operators in output order. */
  public List<ComparatorOp> ops() {
    return ops;
  }

  /** Output width for encodings of width {@code encDim}. */
  public int width(int encDim) {
    return ops.stream().mapToInt(op -> op.width(encDim)).sum();
  }

  /** Applies the comparator to two encodings {@code [B, d]}; returns {@code [B, W]}. */
  public NDArray compare(NDArray e0, NDArray e1) {
    NDList parts = new NDList(ops.size());
    for (ComparatorOp op : ops) {
      switch (op) {
        case HADAMARD -> parts.add(e0.mul(e1));
        case CONCAT -> {
          parts.add(e0);
          parts.add(e1);
        }
        case ABS_DIFF -> parts.add(e0.sub(e1).abs());
        default -> throw new IllegalStateException("unhandled comparator " + op);
      }
    }
    return parts.size() == 1 ? parts.head() : NDArrays.concat(parts, 1);
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore parameterStore,
      NDList inputs,
      boolean training,
      PairList<String, Object> params) {
    return new NDList(compare(inputs.get(0), inputs.get(1)));
  }

  /** {@inheritDoc} Input shapes {@code [B, d]} twice, output {@code [B, W]}. */
  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    long batch = inputShapes[0].get(0);
    int encDim = Math.toIntExact(inputShapes[0].get(1));
    return new Shape[] {new Shape(batch, width(encDim))};
  }
}
