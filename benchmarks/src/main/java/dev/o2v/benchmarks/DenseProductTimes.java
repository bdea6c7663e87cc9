package dev.o2v.benchmarks;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.o2v.encoders.TransposedDenseProduct;
import dev.o2v.train.runtime.MklProcessorCheck;
import java.util.List;
import java.util.Locale;

/**
 * Times a dense layer's inference product two ways: libtorch's {@code linear} ({@code x·Wᵀ + b})
 * and the transposed product ({@code (W·xᵀ)ᵀ + b}, {@link TransposedDenseProduct}), alone on
 * random arrays, and prints which one the encoders' rule picks.
 *
 * <p>Usage: {@code DenseProductTimes [CALLS] [ROWS,INPUTS,UNITS ...]}, by default 200 calls (a
 * tenth of that above 50 M multiply-adds) at 4 to 128 rows through the first MLP layer of
 * SageMaker's default network ({@code 16384 → 512}), of a sentence-sized network ({@code 2048 →
 * 512}), a {@code 1024 → 256} layer and a {@code 4096 → 4096} one. Prints median microseconds;
 * run with {@code -Dai.djl.pytorch.num_threads=1} (or 2) to fix libtorch's thread count. MKL's
 * processor check is lifted first, as o2v's engine start does.
 */
public final class DenseProductTimes {

  private static final long[] DEFAULT_ROWS = {4, 8, 16, 32, 48, 64, 128};
  private static final long[][] DEFAULT_WEIGHTS = {{16384, 512}, {2048, 512}, {1024, 256},
    {4096, 4096}};

  private DenseProductTimes() {}

  /** Entry point. */
  public static void main(String[] args) {
    int calls = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    List<long[]> shapes = OperationTiming.shapes(args, 1);
    if (shapes.isEmpty()) {
      for (long[] weight : DEFAULT_WEIGHTS) {
        for (long rows : DEFAULT_ROWS) {
          shapes.add(new long[] {rows, weight[0], weight[1]});
        }
      }
    }
    System.out.println("MKL processor check: " + MklProcessorCheck.beforeFirstMatrixProduct());
    Engine.getInstance().setRandomSeed(1);
    System.out.printf(Locale.ROOT, "%-20s %12s %15s %7s%n", "rows,inputs,units", "linear us",
        "transposed us", "rule");
    try (NDManager manager = NDManager.newBaseManager()) {
      for (long[] dims : shapes) {
        long rows = dims[0];
        long inputs = dims[1];
        long units = dims[2];
        int n = rows * inputs * units > 50_000_000L ? Math.max(1, calls / 10) : calls;
        try (NDManager arrays = manager.newSubManager()) {
          NDArray x = arrays.randomUniform(-1f, 1f, new Shape(rows, inputs));
          NDArray w = arrays.randomUniform(-1f, 1f, new Shape(units, inputs));
          NDArray b = arrays.randomUniform(-1f, 1f, new Shape(units));
          double linear =
              OperationTiming.medianMicros(() -> x.getNDArrayInternal().linear(x, w, b), n);
          double transposed = OperationTiming.medianMicros(
              () -> w.matMul(x.transpose()).transpose().add(b), n);
          System.out.printf(Locale.ROOT, "%-20s %12.1f %15.1f %7s%n",
              rows + "," + inputs + "," + units, linear, transposed,
              TransposedDenseProduct.applies(rows, inputs, units) ? "T" : "linear");
        }
      }
    }
  }
}
