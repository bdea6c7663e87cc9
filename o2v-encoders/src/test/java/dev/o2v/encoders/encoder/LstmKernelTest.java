package dev.o2v.encoders.encoder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LstmKernelTest {

  private static final Set<String> AVX512 = Set.of("avx2", "avx512f", "avx512bw");
  private static final Set<String> AVX2_ONLY = Set.of("sse4_2", "avx2", "fma");

  @Test
  void anAvx512CpuGetsTheSteppedKernelUnlessOneDnnIsLimitedBelowAvx512() {
    assertSame(SteppedLstmKernel.INSTANCE, LstmKernelChoice.choose(null, null, AVX512));
    assertSame(SteppedLstmKernel.INSTANCE, LstmKernelChoice.choose(null, "AVX512_CORE", AVX512));
    assertSame(FusedLstmKernel.INSTANCE, LstmKernelChoice.choose(null, "AVX2", AVX512));
    assertSame(FusedLstmKernel.INSTANCE, LstmKernelChoice.choose(null, "avx2", AVX512));
    assertSame(FusedLstmKernel.INSTANCE, LstmKernelChoice.choose(null, "SSE41", AVX512));
  }

  @Test
  void aCpuWithoutAvx512GetsTheFusedKernel() {
    assertSame(FusedLstmKernel.INSTANCE, LstmKernelChoice.choose(null, null, AVX2_ONLY));
    assertSame(FusedLstmKernel.INSTANCE, LstmKernelChoice.choose(null, null, Set.of()));
  }

  @Test
  void theSystemPropertyOverridesTheRuleAndRejectsUnknownKernels() {
    assertSame(FusedLstmKernel.INSTANCE, LstmKernelChoice.choose("fused", null, AVX512));
    assertSame(SteppedLstmKernel.INSTANCE, LstmKernelChoice.choose(" Stepped ", "AVX2", AVX2_ONLY));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> LstmKernelChoice.choose("fast", null, AVX512));
    assertTrue(
        e.getMessage().contains("o2v.lstm.kernel must be fused or stepped"), e.getMessage());
  }

  /** Sizes 2, 16 and 48 are those the AVX-512 fused kernel got wrong on an affected CPU. */
  @Tag("engine")
  @ParameterizedTest
  @ValueSource(ints = {2, 16, 24, 48})
  void theSteppedKernelMatchesAPlainJavaLstm(int hidden) {
    assertMatchesReference(SteppedLstmKernel.INSTANCE, hidden);
  }

  /** Fails on a CPU where the rule picks a kernel that computes wrong states. */
  @Tag("engine")
  @ParameterizedTest
  @ValueSource(ints = {2, 16, 24, 48})
  void theKernelChosenForThisCpuMatchesAPlainJavaLstm(int hidden) {
    assertMatchesReference(LstmKernelChoice.forDevice(Device.cpu()), hidden);
  }

  private static void assertMatchesReference(LstmKernel kernel, int hidden) {
    int batch = 2;
    int steps = 5;
    int dim = 7;
    SplittableRandom random = new SplittableRandom(hidden);
    double[] inputs = EncoderFixtures.uniform(random, batch * steps * dim, 1.0);
    double[] wih = EncoderFixtures.uniform(random, 4 * hidden * dim, 0.5);
    double[] whh = EncoderFixtures.uniform(random, 4 * hidden * hidden, 0.5);
    double[] bih = EncoderFixtures.uniform(random, 4 * hidden, 0.5);
    double[] bhh = EncoderFixtures.uniform(random, 4 * hidden, 0.5);
    try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
      NDList weights =
          new NDList(
              floats(manager, wih, new Shape(4 * hidden, dim)),
              floats(manager, whh, new Shape(4 * hidden, hidden)),
              floats(manager, bih, new Shape(4 * hidden)),
              floats(manager, bhh, new Shape(4 * hidden)));
      NDArray input = floats(manager, inputs, new Shape(batch, steps, dim));
      NDArray zero = manager.zeros(new Shape(1, batch, hidden));
      float[] found = kernel.run(input, weights, zero, false).toFloatArray();
      float[] expected = new float[batch * steps * hidden];
      for (int b = 0; b < batch; b++) {
        double[][] sequence = new double[steps][];
        for (int t = 0; t < steps; t++) {
          int from = (b * steps + t) * dim;
          sequence[t] = Arrays.copyOfRange(inputs, from, from + dim);
        }
        double[][] states = ReferenceLstm.run(sequence, wih, whh, bih, bhh, hidden);
        for (int t = 0; t < steps; t++) {
          for (int j = 0; j < hidden; j++) {
            expected[(b * steps + t) * hidden + j] = (float) states[t][j];
          }
        }
      }
      assertArrayEquals(expected, found, 1e-5f, kernel + " kernel, hidden " + hidden);
    }
  }

  private static NDArray floats(NDManager manager, double[] values, Shape shape) {
    return manager.create(values, shape).toType(DataType.FLOAT32, false);
  }
}
