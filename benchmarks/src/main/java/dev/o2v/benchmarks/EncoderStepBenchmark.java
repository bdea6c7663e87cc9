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
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.IntFunction;

/**
 * Measures one forward + backward pass of each encoder on random embedded batches, at SageMaker's
 * default sizes and at a small size, and prints the median and minimum over a few repeats.
 *
 * <p>Run: {@code java -Dai.djl.offline=true -cp CLASSPATH dev.o2v.benchmarks.EncoderStepBenchmark}.
 * Optional arguments name the sizes to run ({@code small}, {@code sagemaker}). Lengths are drawn
 * uniformly from {@code [T/2, T]} so masking does real work. Hcnn uses 4 layers of width 3 and
 * bilstm 1 layer ("auto"); pooled_embedding reads tokens of width {@code encDim}.
 */
public final class EncoderStepBenchmark {

  private record Size(String name, int encDim, int tokenDim, int batch, int length, int repeats) {}

  private record Encoder(String name, IntFunction<AbstractBlock> factory, boolean tokenIsEncDim) {}

  private static final List<Size> SIZES =
      List.of(new Size("small", 64, 32, 32, 20, 10), new Size("sagemaker", 4096, 300, 32, 40, 10));

  private static final List<Encoder> ENCODERS =
      List.of(
          new Encoder("pooled_embedding", PooledEmbeddingEncoder::new, true),
          new Encoder("hcnn L=4 k=3", d -> new HcnnEncoder(d, 4, 3, 0.1f), false),
          new Encoder("bilstm L=1", d -> new BiLstmEncoder(d, 1, 0.1f), false));

  private EncoderStepBenchmark() {}

  /**
   * Runs the benchmark.
   *
   * @param args optional size names to run ({@code small}, {@code sagemaker}); all when empty
   */
  public static void main(String[] args) {
    Engine engine = Engine.getInstance();
    engine.setRandomSeed(42);
    System.out.printf(
        Locale.ROOT,
        "engine %s %s, %d cores%n",
        engine.getEngineName(),
        engine.getVersion(),
        Runtime.getRuntime().availableProcessors());
    System.out.printf(
        Locale.ROOT,
        "%-10s %-18s %6s %6s %4s %4s %12s %10s %10s %4s%n",
        "size",
        "encoder",
        "encDim",
        "D",
        "B",
        "T",
        "params",
        "median ms",
        "min ms",
        "n");
    List<String> wanted = List.of(args);
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
    int warmup = slow ? 1 : 3;
    int repeats = slow ? 3 : size.repeats();
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
      double[] millis = new double[repeats];
      for (int r = -warmup; r < repeats; r++) {
        double elapsed = step(manager, store, block, input, random);
        if (r >= 0) {
          millis[r] = elapsed;
        }
      }
      Arrays.sort(millis);
      System.out.printf(
          Locale.ROOT,
          "%-10s %-18s %6d %6d %4d %4d %12d %10.2f %10.2f %4d%n",
          size.name(),
          encoder.name(),
          size.encDim(),
          tokenDim,
          size.batch(),
          size.length(),
          params,
          millis[repeats / 2],
          millis[0],
          repeats);
    }
  }

  /** One timed forward + backward pass on a fresh random batch; returns milliseconds. */
  private static double step(
      NDManager manager,
      ParameterStore store,
      AbstractBlock block,
      Shape input,
      SplittableRandom random) {
    try (NDManager batch = manager.newSubManager()) {
      NDArray embedded = batch.randomNormal(input);
      int[] lengths = new int[(int) input.get(0)];
      int maxLen = (int) input.get(1);
      for (int i = 0; i < lengths.length; i++) {
        lengths[i] = maxLen / 2 + random.nextInt(maxLen - maxLen / 2 + 1);
      }
      NDArray lengthArray = batch.create(lengths);
      embedded.setRequiresGradient(true);
      long start = System.nanoTime();
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        NDArray out = block.forward(store, new NDList(embedded, lengthArray), true).head();
        NDArray loss = out.mean();
        collector.backward(loss);
        // Reading a gradient value forces the whole computation to finish.
        embedded.getGradient().get(0, 0, 0).getFloat();
      }
      return (System.nanoTime() - start) / 1e6;
    }
  }
}
