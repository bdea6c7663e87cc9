package dev.o2v.benchmarks;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import dev.o2v.train.runtime.MklProcessorCheck;
import java.util.Locale;

/**
 * This machine's memory bandwidth and matrix-multiply rate, measured through the same libtorch
 * the models use (DJL NDArray operations).
 *
 * @param copyBytesPerSecond bytes read plus written per second by a large array copy into an array
 *     that is already in memory (a copy into a new array measured how fast the system hands out
 *     fresh pages: about 2 GB/s on this project's test machine)
 * @param addBytesPerSecond bytes read plus written per second by a large in-place add ({@code a +=
 *     b}: two reads, one write)
 * @param matmulFlopsPerSecond floating-point operations per second of a large square matmul
 * @param matmulSize side of the square matrices
 * @param arrayBytes size of each array in the bandwidth tests
 * @param threads libtorch intra-op threads during the measurement
 */
public record MachineRates(
    double copyBytesPerSecond,
    double addBytesPerSecond,
    double matmulFlopsPerSecond,
    int matmulSize,
    long arrayBytes,
    int threads) {

  /** Best sustained bandwidth seen: the larger of copy and add, so the floor stays a floor. */
  public double bandwidth() {
    return Math.max(copyBytesPerSecond, addBytesPerSecond);
  }

  /**
   * Prints this machine's rates: {@code MachineRates [MATMUL_SIZE] [REPEATS]} (default 1024 and
   * 9), on the CPU with the engine's thread count ({@code -Dai.djl.pytorch.num_threads}).
   */
  public static void main(String[] args) {
    int size = args.length > 0 ? Integer.parseInt(args[0]) : 1024;
    int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 9;
    MachineRates rates = measure(Device.cpu(), 16L << 20, size, repeats);
    System.out.printf(Locale.ROOT,
        "threads %d: copy %.1f GB/s, add %.1f GB/s, matmul %d² %.1f GFLOP/s (MKL check: %s)%n",
        rates.threads(), rates.copyBytesPerSecond() / 1e9, rates.addBytesPerSecond() / 1e9,
        size, rates.matmulFlopsPerSecond() / 1e9, MklProcessorCheck.beforeFirstMatrixProduct());
  }

  /**
   * Measures on {@code device}: medians over {@code repeats} after one warm-up.
   *
   * @param floats elements of each bandwidth array (64 Mi floats = 256 MiB)
   * @param matmulSize side of the square matmul
   */
  public static MachineRates measure(Device device, long floats, int matmulSize, int repeats) {
    MklProcessorCheck.beforeFirstMatrixProduct();
    try (NDManager manager = NDManager.newBaseManager(device)) {
      long bytes = floats * Float.BYTES;
      NDArray a = manager.randomUniform(0f, 1f, new Shape(floats));
      NDArray b = manager.randomUniform(0f, 1f, new Shape(floats));
      NDArray c = manager.zeros(new Shape(floats));
      NDIndex all = new NDIndex(":");
      double[] copy = new double[repeats];
      double[] add = new double[repeats];
      for (int r = -1; r < repeats; r++) {
        long start = System.nanoTime();
        c.set(all, a);
        sync(c);
        if (r >= 0) {
          copy[r] = 2.0 * bytes / ((System.nanoTime() - start) / 1e9);
        }
        start = System.nanoTime();
        a.addi(b);
        sync(a);
        double seconds = (System.nanoTime() - start) / 1e9;
        if (r >= 0) {
          add[r] = 3.0 * bytes / seconds;
        }
      }
      a.close();
      b.close();
      c.close();
      NDArray x = manager.randomUniform(-1f, 1f, new Shape(matmulSize, matmulSize));
      NDArray y = manager.randomUniform(-1f, 1f, new Shape(matmulSize, matmulSize));
      double flopsPerMatmul = 2.0 * matmulSize * (double) matmulSize * matmulSize;
      double[] matmul = new double[repeats];
      for (int r = -1; r < repeats; r++) {
        long start = System.nanoTime();
        try (NDArray z = x.matMul(y)) {
          sync(z);
          double seconds = (System.nanoTime() - start) / 1e9;
          if (r >= 0) {
            matmul[r] = flopsPerMatmul / seconds;
          }
        }
      }
      return new MachineRates(Stats.median(copy), Stats.median(add), Stats.median(matmul),
          matmulSize, bytes, JniUtils.getNumThreads());
    }
  }

  /** Reading one element waits for the device to finish the array. */
  private static void sync(NDArray array) {
    try (NDArray first = array.flatten().get(0)) {
      first.getFloat();
    }
  }
}
