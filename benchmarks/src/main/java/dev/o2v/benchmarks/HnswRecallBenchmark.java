package dev.o2v.benchmarks;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.o2v.inference.retrieval.ExactNeighbors;
import dev.o2v.inference.retrieval.HnswIndex;
import dev.o2v.inference.retrieval.Neighbor;
import dev.o2v.inference.retrieval.UnitVectors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.LongConsumer;

/**
 * Recall@k of the HNSW index of {@code o2v neighbors} against exact search, and queries per
 * second of both, on random unit vectors (Gaussian components, normalised).
 *
 * <p>Usage: {@code HnswRecallBenchmark [vectors [width [queries [intrinsic]]]]}, defaults
 * 1,000,000, 256, 200 and 0. With {@code intrinsic} D above 0 the vectors are D-dimensional
 * Gaussian points mapped into {@code width} dimensions by one fixed random matrix, data whose
 * intrinsic dimension is D, as embeddings' often is far below their width. Queries are fresh random
 * vectors, not items. Both searches run on one thread; the exact search is the same code
 * {@code neighbors --index exact} uses. Random vectors are the hard case for a graph index (no
 * clusters to follow), so real embeddings usually do better.
 */
public final class HnswRecallBenchmark {

  private static final int K = 10;
  private static final int[] CANDIDATES = {10, 50, 100, 200};

  private HnswRecallBenchmark() {}

  public static void main(String[] args) throws IOException {
    int count = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    int width = args.length > 1 ? Integer.parseInt(args[1]) : 256;
    int queryCount = args.length > 2 ? Integer.parseInt(args[2]) : 200;
    int intrinsic = args.length > 3 ? Integer.parseInt(args[3]) : 0;
    Path dir = Files.createTempDirectory("o2v-hnsw-bench");
    print("%d random unit vectors of width %d (intrinsic dimension %s), %d queries, recall@%d;"
        + " cores %d, max heap %d MB", count, width, intrinsic > 0 ? intrinsic : "full",
        queryCount, K, Runtime.getRuntime().availableProcessors(),
        Runtime.getRuntime().maxMemory() >> 20);

    SplittableRandom rng = new SplittableRandom(20261205L);
    float[] mix = intrinsic > 0 ? gaussian(intrinsic, width, rng) : null;
    UnitVectors items = UnitVectors.normalizeInPlace(points(count, width, mix, rng), count,
        width);
    UnitVectors queries = UnitVectors.normalizeInPlace(points(queryCount, width, mix, rng),
        queryCount, width);

    long start = System.nanoTime();
    List<List<Integer>> truth = new ArrayList<>();
    ExactNeighbors exact = new ExactNeighbors(items, 1);
    for (int q = 0; q < queryCount; q++) {
      truth.add(exact.search(queries.row(q), K, -1).stream().map(Neighbor::row).toList());
    }
    double exactSeconds = (System.nanoTime() - start) / 1e9;
    print("exact search: %.2f queries/s (%.1f ms per query)", queryCount / exactSeconds,
        1000 * exactSeconds / queryCount);

    start = System.nanoTime();
    Path indexDir = dir.resolve("vectors.hnsw");
    try (HnswIndex index = HnswIndex.build(items, indexDir, HnswIndex.DEFAULT_MAX_CONN,
        HnswIndex.DEFAULT_BEAM_WIDTH, JsonNodeFactory.instance.objectNode()
            .put("benchmark", "random"), new BuildProgress(start))) {
      print("index built in %.1f s (M=%d, beam width %d), %.0f MB on disk",
          (System.nanoTime() - start) / 1e9, HnswIndex.DEFAULT_MAX_CONN,
          HnswIndex.DEFAULT_BEAM_WIDTH, sizeOf(indexDir) / 1e6);
      for (int candidates : CANDIDATES) {
        // One untimed pass warms the searcher's code paths and the page cache.
        for (int q = 0; q < Math.min(20, queryCount); q++) {
          index.search(queries.row(q), K, candidates, -1);
        }
        long found = 0;
        start = System.nanoTime();
        for (int q = 0; q < queryCount; q++) {
          List<Integer> expected = truth.get(q);
          for (Neighbor n : index.search(queries.row(q), K, candidates, -1)) {
            found += expected.contains(n.row()) ? 1 : 0;
          }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        print("HNSW, %d candidates: recall@%d %.3f, %.1f queries/s (%.2f ms per query)",
            candidates, K, found / (double) (K * queryCount), queryCount / seconds,
            1000 * seconds / queryCount);
      }
    } finally {
      FileTrees.delete(dir);
    }
  }

  /** Prints the rows indexed and the time taken each time another 100,000 rows are in. */
  private static final class BuildProgress implements LongConsumer {
    private final long start;
    private long printed;

    BuildProgress(long start) {
      this.start = start;
    }

    @Override
    public void accept(long done) {
      // The index reports every 1,024 rows, so a multiple of 100,000 is rarely hit exactly.
      if (done / 100_000 > printed / 100_000) {
        printed = done;
        print("  indexed %d rows in %.0f s", done, (System.nanoTime() - start) / 1e9);
      }
    }
  }

  private static long sizeOf(Path dir) throws IOException {
    try (var files = Files.walk(dir)) {
      long total = 0;
      for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        total += Files.size(f);
      }
      return total;
    }
  }

  /** Gaussian points of {@code width}, or of {@code mix}'s row count mapped through it. */
  private static float[] points(int rows, int width, float[] mix, SplittableRandom rng) {
    if (mix == null) {
      return gaussian(rows, width, rng);
    }
    int d = mix.length / width;
    float[] z = gaussian(rows, d, rng);
    float[] out = new float[Math.multiplyExact(rows, width)];
    for (int r = 0; r < rows; r++) {
      for (int j = 0; j < d; j++) {
        float zj = z[r * d + j];
        for (int c = 0; c < width; c++) {
          out[r * width + c] += zj * mix[j * width + c];
        }
      }
    }
    return out;
  }

  private static float[] gaussian(int rows, int width, SplittableRandom rng) {
    float[] flat = new float[Math.multiplyExact(rows, width)];
    for (int i = 0; i < flat.length; i++) {
      flat[i] = (float) rng.nextGaussian();
    }
    return flat;
  }

  private static void print(String format, Object... args) {
    System.out.println(String.format(Locale.ROOT, format, args));
    System.out.flush();
  }
}
