package dev.o2v.inference;

import dev.o2v.core.data.ZeroIdRule;
import dev.o2v.inference.InferenceInstance;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.PriorityQueue;

/**
 * Exact cosine nearest neighbours among the single-token embeddings of one side's vocabulary
 * ("items like this one").
 *
 * <p>Every id {@code 0..vocab-1} is embedded as a one-token sequence, in batches, and compared
 * with the queries batch by batch, so memory holds one batch of embeddings and {@code k}
 * candidates per query, whatever the vocabulary size. A query is never its own neighbour.
 */
public final class NeighborSearch {

  /** One neighbour: its id and the cosine similarity of its embedding to the query's. */
  public record Neighbor(int id, float cosine) {}

  /** The neighbours of one query, most similar first (ties: smaller id first). */
  public record Result(int query, List<Neighbor> neighbors) {

    /** {@code {"query":5,"neighbors":[{"id":9,"cosine":0.93},...]}}. */
    public String toJson() {
      StringBuilder out = new StringBuilder(32 + 32 * neighbors.size());
      out.append("{\"query\":").append(query).append(",\"neighbors\":[");
      for (int i = 0; i < neighbors.size(); i++) {
        Neighbor n = neighbors.get(i);
        out.append(i > 0 ? "," : "").append("{\"id\":").append(n.id()).append(",\"cosine\":");
        JsonFloats.append(out, n.cosine()).append('}');
      }
      return out.append("]}").toString();
    }
  }

  /** Most similar first; among equal cosines the smaller id first. */
  private static final Comparator<Neighbor> BEST_FIRST =
      Comparator.comparingDouble((Neighbor n) -> -n.cosine()).thenComparingInt(Neighbor::id);

  private final InferenceRunner runner;
  private final int side;
  private final int batchSize;

  /**
   * A search over the vocabulary of {@code side}.
   *
   * @param batchSize ids embedded per runner call
   */
  public NeighborSearch(InferenceRunner runner, int side, int batchSize) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be >= 1, found " + batchSize);
    }
    this.runner = runner;
    this.side = InferenceInstance.checkSide(side);
    this.batchSize = batchSize;
  }

  /**
   * The {@code k} nearest ids of each query.
   *
   * @throws IllegalArgumentException when a query id is outside the vocabulary, is id 0 of a
   *     model to which id 0 is padding, or {@code k < 1}
   */
  public List<Result> search(int[] queryIds, int k) {
    int vocab = runner.vocabSize(side);
    // Where id 0 is padding it encodes to zeros: it is neither a neighbour nor a query.
    int first = runner.zeroIds() == ZeroIdRule.PADDING ? 1 : 0;
    if (k < 1) {
      throw new IllegalArgumentException("k must be >= 1, found " + k);
    }
    List<InferenceInstance> queries = new ArrayList<>();
    for (int id : queryIds) {
      if (id < 0 || id >= vocab) {
        throw new IllegalArgumentException(
            String.format(
                Locale.ROOT, "query id %d is outside the in%d vocabulary [0, %d)", id, side,
                vocab));
      }
      if (id < first) {
        throw new IllegalArgumentException(
            "query id 0 is padding for this model: it has no embedding of its own");
      }
      queries.add(InferenceInstance.single(side, new int[] {id}));
    }
    float[][] unitQueries = new float[queryIds.length][];
    List<InferenceResult> embedded = runner.infer(queries);
    List<PriorityQueue<Neighbor>> best = new ArrayList<>();
    for (int q = 0; q < queryIds.length; q++) {
      unitQueries[q] = normalized(embedded.get(q).embeddings());
      best.add(new PriorityQueue<>(k + 1, BEST_FIRST.reversed()));
    }
    for (int from = first; from < vocab; from += batchSize) {
      int to = Math.min(vocab, from + batchSize);
      List<InferenceInstance> batch = new ArrayList<>(to - from);
      for (int id = from; id < to; id++) {
        batch.add(InferenceInstance.single(side, new int[] {id}));
      }
      List<InferenceResult> rows = runner.infer(batch);
      for (int r = 0; r < rows.size(); r++) {
        offer(from + r, normalized(rows.get(r).embeddings()), queryIds, unitQueries, best, k);
      }
    }
    List<Result> results = new ArrayList<>();
    for (int q = 0; q < queryIds.length; q++) {
      List<Neighbor> sorted = new ArrayList<>(best.get(q));
      sorted.sort(BEST_FIRST);
      results.add(new Result(queryIds[q], List.copyOf(sorted)));
    }
    return results;
  }

  private static void offer(
      int id,
      float[] unit,
      int[] queryIds,
      float[][] unitQueries,
      List<PriorityQueue<Neighbor>> best,
      int k) {
    for (int q = 0; q < queryIds.length; q++) {
      if (id == queryIds[q]) {
        continue;
      }
      PriorityQueue<Neighbor> heap = best.get(q);
      Neighbor candidate = new Neighbor(id, dot(unit, unitQueries[q]));
      if (heap.size() < k) {
        heap.add(candidate);
      } else if (BEST_FIRST.compare(candidate, heap.peek()) < 0) {
        heap.poll();
        heap.add(candidate);
      }
    }
  }

  /** {@code v / |v|}, or zeros for a zero vector (whose cosine with anything is then 0). */
  static float[] normalized(float[] v) {
    double sum = 0;
    for (float x : v) {
      sum += (double) x * x;
    }
    float[] out = new float[v.length];
    if (sum > 0) {
      double scale = 1 / Math.sqrt(sum);
      for (int i = 0; i < v.length; i++) {
        out[i] = (float) (v[i] * scale);
      }
    }
    return out;
  }

  private static float dot(float[] a, float[] b) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += (double) a[i] * b[i];
    }
    return (float) sum;
  }
}
