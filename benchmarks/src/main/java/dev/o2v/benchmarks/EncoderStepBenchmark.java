package dev.o2v.benchmarks;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.o2v.encoders.encoder.BiLstmEncoder;
import dev.o2v.encoders.encoder.HcnnEncoder;
import dev.o2v.encoders.encoder.PooledEmbeddingEncoder;
import dev.o2v.train.runtime.NoGradScope;
import dev.o2v.train.runtime.MklProcessorCheck;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * Measures one forward + backward pass of each encoder on random embedded batches, at SageMaker's
 * default sizes and at a small size, and prints the median and minimum over a few repeats and the
 * median CPU time of the calling thread; then the medians of an inference forward pass (no
 * gradient, no dropout) on the same batches.
 *
 * <p>Run: {@code java -Dai.djl.offline=true -cp CLASSPATH dev.o2v.benchmarks.EncoderStepBenchmark}.
 * Optional arguments name the sizes to run ({@code small}, {@code sentence}, {@code
 * sagemaker}); {@code --repeats N} and {@code --warmup N} replace the default 10 timed and 3
 * warm-up passes (more passes give steadier medians on a busy machine). Lengths are drawn
 * uniformly from {@code [T/2, T]} so masking does real work. Hcnn uses 4 layers of width 3 and
 * bilstm 1 layer ("auto"); pooled_embedding reads tokens of width {@code encDim}.
 */
public final class EncoderStepBenchmark {

  private record Size(String name, int encDim, int tokenDim, int batch, int length, int repeats) {}

  private record Encoder(String name, IntFunction<AbstractBlock> factory, boolean tokenIsEncDim) {}

  private static final List<Size> SIZES =
      List.of(
          new Size("small", 64, 32, 32, 20, 10),
          new Size("sentence", 512, 128, 64, 40, 10),
          new Size("sagemaker", 4096, 300, 32, 40, 10));

  private static final List<Encoder> ENCODERS =
      List.of(
          new Encoder("pooled_embedding", PooledEmbeddingEncoder::new, true),
          new Encoder("hcnn L=4 k=3", d -> new HcnnEncoder(d, 4, 3, 0.1f), false),
          new Encoder("bilstm L=1", d -> new BiLstmEncoder(d, 1, 0.1f), false));

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private static int repeatsOverride;
  private static int warmupOverride;

  private EncoderStepBenchmark() {}

  /**
   * Runs the benchmark.
   *
   * @param args optional size names to run ({@code small}, {@code sentence}, {@code sagemaker}),
   *     all when none;
   *     {@code --repeats N} and {@code --warmup N} set the pass counts
   */
  public static void main(String[] args) {
    Engine engine = Engine.getInstance();
    MklProcessorCheck.beforeFirstMatrixProduct();
    engine.setRandomSeed(42);
    System.out.printf(
        Locale.ROOT,
        "engine %s %s, %d cores%n",
        engine.getEngineName(),
        engine.getVersion(),
        Runtime.getRuntime().availableProcessors());
    System.out.printf(
        Locale.ROOT,
        "%-10s %-18s %6s %6s %4s %4s %12s %10s %10s %10s %10s %10s %5s%n",
        "size",
        "encoder",
        "encDim",
        "D",
        "B",
        "T",
        "params",
        "median ms",
        "min ms",
        "cpu ms",
        "infer ms",
        "infer cpu",
        "n");
    List<String> wanted = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--repeats" -> repeatsOverride = Integer.parseInt(args[++i]);
        case "--warmup" -> warmupOverride = Integer.parseInt(args[++i]);
        default -> wanted.add(args[i]);
      }
    }
    for (Size size : SIZES) {
      if (!wanted.isEmpty() && !wanted.contains(size.name())) {
        continue;
      }
      for (Encoder encoder : ENCODERS) {
        run(size, encoder);
      }
    }
  }

  private static void run(Size size, Encoder encoder) {
    int tokenDim = encoder.tokenIsEncDim() ? size.encDim() : size.tokenDim();
    boolean slow = size.encDim() > 1024 && encoder.name().startsWith("bilstm");
    int warmup = warmupOverride > 0 ? warmupOverride : slow ? 1 : 3;
    int repeats = repeatsOverride > 0 ? repeatsOverride : slow ? 3 : size.repeats();
    SplittableRandom random = new SplittableRandom(7);
    try (NDManager manager = NDManager.newBaseManager()) {
      AbstractBlock block = encoder.factory().apply(size.encDim());
      Shape input = new Shape(size.batch(), size.length(), tokenDim);
      block.initialize(manager, DataType.FLOAT32, input, new Shape(size.batch()));
      long params = 0;
      for (var entry : block.getParameters()) {
        params += entry.getValue().getArray().size();
      }
      ParameterStore store = new ParameterStore(manager, false);
      Timings train = measure(warmup, repeats, () -> step(manager, store, block, input, random));
      Timings inference;
      try (NoGradScope noGrad = NoGradScope.enter()) {
        inference = measure(warmup, repeats, () -> infer(manager, store, block, input, random));
      }
      System.out.printf(
          Locale.ROOT,
          "%-10s %-18s %6d %6d %4d %4d %12d %10.2f %10.2f %10.2f %10.2f %10.2f %5d%n",
          size.name(),
          encoder.name(),
          size.encDim(),
          tokenDim,
          size.batch(),
          size.length(),
          params,
          train.median(train.wall()),
          train.wall()[0],
          train.median(train.cpu()),
          inference.median(inference.wall()),
          inference.median(inference.cpu()),
          repeats);
    }
  }

  /**
   * Sorted milliseconds of the timed passes: wall-clock time, and the CPU time of the calling
   * thread, which leaves out time spent waiting for a core on a busy machine (with one libtorch
   * thread, the forward and backward passes run on the calling thread).
   */
  private record Timings(double[] wall, double[] cpu) {
    double median(double[] sorted) {
      return sorted[sorted.length / 2];
    }
  }

  /** Runs {@code pass} {@code warmup} times untimed, then {@code repeats} times timed. */
  private static Timings measure(int warmup, int repeats, Supplier<double[]> pass) {
    double[] wall = new double[repeats];
    double[] cpu = new double[repeats];
    for (int r = -warmup; r < repeats; r++) {
      double[] elapsed = pass.get();
      if (r >= 0) {
        wall[r] = elapsed[0];
        cpu[r] = elapsed[1];
      }
    }
    Arrays.sort(wall);
    Arrays.sort(cpu);
    return new Timings(wall, cpu);
  }

  /** {@code {wall ms, thread CPU ms}} since the given start readings. */
  private static double[] since(long wallStart, long cpuStart) {
    return new double[] {
      (System.nanoTime() - wallStart) / 1e6, (THREADS.getCurrentThreadCpuTime() - cpuStart) / 1e6
    };
  }

  /** One timed inference forward pass on a fresh random batch; returns {@link #since}. */
  private static double[] infer(
      NDManager manager,
      ParameterStore store,
      AbstractBlock block,
      Shape input,
      SplittableRandom random) {
    try (NDManager batch = manager.newSubManager()) {
      NDArray embedded = batch.randomNormal(input);
      NDArray lengthArray = batch.create(randomLengths(input, random));
      long cpuStart = THREADS.getCurrentThreadCpuTime();
      long start = System.nanoTime();
      NDArray out = block.forward(store, new NDList(embedded, lengthArray), false).head();
      // Reading a value forces the computation to finish.
      out.get(0, 0).getFloat();
      return since(start, cpuStart);
    }
  }

  /** Lengths drawn uniformly from {@code [T/2, T]}. */
  private static int[] randomLengths(Shape input, SplittableRandom random) {
    int[] lengths = new int[(int) input.get(0)];
    int maxLen = (int) input.get(1);
    for (int i = 0; i < lengths.length; i++) {
      lengths[i] = maxLen / 2 + random.nextInt(maxLen - maxLen / 2 + 1);
    }
    return lengths;
  }

  /** One timed forward + backward pass on a fresh random batch; returns {@link #since}. */
  private static double[] step(
      NDManager manager,
      ParameterStore store,
      AbstractBlock block,
      Shape input,
      SplittableRandom random) {
    try (NDManager batch = manager.newSubManager()) {
      NDArray embedded = batch.randomNormal(input);
      NDArray lengthArray = batch.create(randomLengths(input, random));
      embedded.setRequiresGradient(true);
      long cpuStart = THREADS.getCurrentThreadCpuTime();
      long start = System.nanoTime();
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        NDArray out = block.forward(store, new NDList(embedded, lengthArray), true).head();
        NDArray loss = out.mean();
        collector.backward(loss);
        // Reading a gradient value forces the whole computation to finish.
        embedded.getGradient().get(0, 0, 0).getFloat();
      }
      return since(start, cpuStart);
    }
  }
}
