package dev.o2v.benchmarks;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.o2v.encoders.encoder.MaxOverTime;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * Times the maximum over time of channels-last activations {@code [N, T, C]} two ways: libtorch's
 * {@code max} along the time axis, and the encoders' channels-last adaptive max pooling ({@link
 * MaxOverTime#of}), alone on ReLU outputs of standard normal values (about half of them zeros, as
 * the encoders pool them), forward only and forward plus backward. Called alone, not inside an
 * encoder's pass: the benchmarks README ("Max over time inside the pass") has how the two
 * compared there.
 *
 * <p>Usage: {@code MaxOverTimeTimes [CALLS] [N,T,C ...]}, by default 1,000 calls (a fifth of that
 * for shapes above 2 M elements) at the shapes of the harness's hcnn workloads: one side and both
 * sides of the small hcnn ({@code 64,20,16} and {@code 128,20,16}), {@code 128,20,64}, the
 * sentence-sized hcnn's paired layer ({@code 128,40,128}) and one side of SageMaker's default
 * ({@code 32,40,1024}, {@code 64,40,1024}). Prints the median microseconds of each; run with
 * {@code -Dai.djl.pytorch.num_threads=1} (or 2) to fix libtorch's thread count.
 */
public final class MaxOverTimeTimes {

  private static final long[][] DEFAULT_SHAPES = {
    {64, 20, 16}, {128, 20, 16}, {128, 20, 64}, {128, 40, 128}, {32, 40, 1024}, {64, 40, 1024}
  };

  private MaxOverTimeTimes() {}

  /** Entry point. */
  public static void main(String[] args) {
    int calls = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    List<long[]> shapes = OperationTiming.shapes(args, 1);
    if (shapes.isEmpty()) {
      shapes.addAll(Arrays.asList(DEFAULT_SHAPES));
    }
    Engine.getInstance().setRandomSeed(1);
    System.out.printf(Locale.ROOT, "%-18s %14s %14s %16s %16s%n", "shape [N,T,C]",
        "max fwd us", "pool fwd us", "max fwd+bwd us", "pool fwd+bwd us");
    try (NDManager manager = NDManager.newBaseManager()) {
      for (long[] dims : shapes) {
        Shape shape = new Shape(dims);
        int n = shape.size() > (2L << 20) ? Math.max(1, calls / 5) : calls;
        NDArray activation = manager.randomNormal(shape).maximum(0f);
        NDArray upstream = manager.randomUniform(0f, 1f, new Shape(dims[0], dims[2]));
        UnaryOperator<NDArray> max = a -> a.max(new int[] {1});
        UnaryOperator<NDArray> pool = MaxOverTime::of;
        System.out.printf(Locale.ROOT, "%-18s %14.1f %14.1f %16.1f %16.1f%n",
            Arrays.toString(dims).replace(" ", ""),
            OperationTiming.medianMicros(() -> max.apply(activation), n),
            OperationTiming.medianMicros(() -> pool.apply(activation), n),
            forwardBackward(activation, upstream, max, n),
            forwardBackward(activation, upstream, pool, n));
      }
    }
  }

  /** Median microseconds of {@code reduce} and its backward pass, after as many untimed calls. */
  private static double forwardBackward(NDArray activation, NDArray upstream,
      UnaryOperator<NDArray> reduce, int calls) {
    activation.setRequiresGradient(true);
    double[] micros = new double[calls];
    for (int i = -calls; i < calls; i++) {
      try (NDScope ignored = new NDScope();
          GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        long start = System.nanoTime();
        collector.backward(reduce.apply(activation).mul(upstream).sum());
        if (i >= 0) {
          micros[i] = (System.nanoTime() - start) / 1e3;
        }
      }
    }
    activation.setRequiresGradient(false);
    return Stats.median(micros);
  }
}
