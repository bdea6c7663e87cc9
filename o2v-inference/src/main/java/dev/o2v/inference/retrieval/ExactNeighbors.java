package dev.o2v.inference.retrieval;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Exact cosine top-k among the rows of a {@link UnitVectors} set: every row is compared with
 * every query, keeping {@code k} candidates per query in a heap.
 */
public final class ExactNeighbors {

  private final UnitVectors items;
  private final int threads;

  /** A search over {@code items} using {@code threads} threads for many queries. */
  public ExactNeighbors(UnitVectors items, int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be >= 1, found " + threads);
    }
    this.items = items;
    this.threads = threads;
  }

  /**
   * The {@code k} rows most similar to {@code query}, best first, leaving out row {@code skip}
   * (the query's own row, or -1).
   */
  public List<Neighbor> search(float[] query, int k, int skip) {
    if (k < 1) {
      throw new IllegalArgumentException("k must be >= 1, found " + k);
    }
    if (query.length != items.width()) {
      throw new IllegalArgumentException(
          "query has width " + query.length + ", the items " + items.width());
    }
    PriorityQueue<Neighbor> heap = new PriorityQueue<>(k + 1, Neighbor.BEST_FIRST.reversed());
    float[] data = items.data();
    int width = items.width();
    float worst = Float.NEGATIVE_INFINITY;
    for (int r = 0; r < items.count(); r++) {
      if (r == skip) {
        continue;
      }
      float cosine = UnitVectors.dot(query, 0, data, r * width, width);
      if (heap.size() < k) {
        heap.add(new Neighbor(r, cosine));
        worst = heap.peek().cosine();
      } else if (cosine > worst) {
        // Rows come in ascending order, so an equal cosine never beats the kept smaller row.
        heap.poll();
        heap.add(new Neighbor(r, cosine));
        worst = heap.peek().cosine();
      }
    }
    List<Neighbor> out = new ArrayList<>(heap);
    out.sort(Neighbor.BEST_FIRST);
    return out;
  }

  /** {@link #search} for many queries at once, spread over the threads; result i for query i. */
  public List<List<Neighbor>> searchAll(List<float[]> queries, int k, int[] skip) {
    if (skip.length != queries.size()) {
      throw new IllegalArgumentException("one skip row per query needed");
    }
    ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "o2v-neighbors");
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<List<Neighbor>>> futures = new ArrayList<>();
      for (int q = 0; q < queries.size(); q++) {
        int index = q;
        futures.add(pool.submit(() -> search(queries.get(index), k, skip[index])));
      }
      List<List<Neighbor>> out = new ArrayList<>();
      for (Future<List<Neighbor>> f : futures) {
        out.add(f.get());
      }
      return out;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("search interrupted", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("search failed: " + e.getCause(), e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }
}
