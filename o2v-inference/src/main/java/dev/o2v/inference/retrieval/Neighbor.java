package dev.o2v.inference.retrieval;

import java.util.Comparator;

/**
 * One neighbour: its row and the cosine of its vector with the query's.
 *
 * @param row the item's row in the searched set
 * @param cosine the cosine similarity
 */
public record Neighbor(int row, float cosine) {

  /** Most similar first; among equal cosines the smaller row first. */
  public static final Comparator<Neighbor> BEST_FIRST =
      Comparator.comparingDouble((Neighbor n) -> -n.cosine()).thenComparingInt(Neighbor::row);
}
