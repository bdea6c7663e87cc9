package dev.o2v.encoders.encoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Makes the sparse record-by-row token matrix of a pooled_embedding side ({@link
 * PooledEmbeddingEncoder#meanOfIds}): a 1 at each coordinate, repeated coordinates adding up.
 * The module that binds the engine supplies one whose arrays own their memory ({@code
 * Object2VecBlock#useTokenMatrices}).
 */
@FunctionalInterface
public interface TokenMatrixFactory {

  /**
   * The matrix of {@code shape} {@code [rows, columns]} with a 1 at each of the {@code n}
   * coordinates {@code (coordinates[i], coordinates[n + i])}.
   *
   * @param coordinates the row of each entry, then the column of each, {@code 2n} numbers
   */
  NDArray create(NDManager manager, long[] coordinates, Shape shape);
}
