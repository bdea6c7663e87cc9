package dev.o2v.encoders.encoder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A sequence must encode to the same vector alone and inside a batch with a sequence ten times
 * longer, whatever garbage fills its padded positions.
 */
@Tag("engine")
class PaddingInvarianceTest {

  private static final int DIM = 5;
  private static final int LENGTH = 4;
  private static final int LONG_LENGTH = 10 * LENGTH;

  static Stream<Arguments> encoders() {
    return Stream.of(
        Arguments.of("pooled_embedding", (IntFunction<AbstractBlock>) PooledEmbeddingEncoder::new),
        Arguments.of(
            "hcnn width 3", (IntFunction<AbstractBlock>) d -> new HcnnEncoder(d, 3, 3, 0f)),
        Arguments.of(
            "hcnn width 4", (IntFunction<AbstractBlock>) d -> new HcnnEncoder(d, 2, 4, 0f)),
        Arguments.of(
            "bilstm 1 layer", (IntFunction<AbstractBlock>) d -> new BiLstmEncoder(d, 1, 0f)),
        Arguments.of(
            "bilstm 2 layers", (IntFunction<AbstractBlock>) d -> new BiLstmEncoder(d, 2, 0f)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("encoders")
  void sequenceEncodesTheSameAloneAndBesideATenTimesLongerOne(
      String name, IntFunction<AbstractBlock> encoder) {
    AbstractBlock block = encoder.apply(DIM);
    SplittableRandom random = new SplittableRandom(11);
    double[] sequence = EncoderFixtures.uniform(random, LENGTH * DIM, 1.0);
    double[] longer = EncoderFixtures.uniform(random, LONG_LENGTH * DIM, 1.0);
    // Padding rows of the short sequence: large garbage, one NaN and one infinity.
    double[] batch = EncoderFixtures.uniform(random, 2 * LONG_LENGTH * DIM, 1e3);
    System.arraycopy(longer, 0, batch, 0, longer.length);
    int shortRow = LONG_LENGTH * DIM;
    System.arraycopy(sequence, 0, batch, shortRow, sequence.length);
    batch[shortRow + LENGTH * DIM] = Double.NaN;
    batch[batch.length - 1] = Double.POSITIVE_INFINITY;
    try (NDManager manager = NDManager.newBaseManager()) {
      EncoderFixtures.initialize(block, manager, DataType.FLOAT32, 2, LONG_LENGTH, DIM);
      NDArray alone =
          EncoderFixtures.encode(
              block,
              manager,
              EncoderFixtures.embedded(
                  manager, sequence, new Shape(1, LENGTH, DIM), DataType.FLOAT32),
              new int[] {LENGTH});
      NDArray batched =
          EncoderFixtures.encode(
              block,
              manager,
              EncoderFixtures.embedded(
                  manager, batch, new Shape(2, LONG_LENGTH, DIM), DataType.FLOAT32),
              new int[] {LONG_LENGTH, LENGTH});
      float[] expected = alone.get(0).toFloatArray();
      float[] found = batched.get(1).toFloatArray();
      assertArrayEquals(
          expected,
          found,
          1e-5f,
          name + " alone " + Arrays.toString(expected) + " batched " + Arrays.toString(found));
      float[] longRow = batched.get(0).toFloatArray();
      for (float value : longRow) {
        assertTrue(Float.isFinite(value), name + " long row: " + Arrays.toString(longRow));
      }
    }
  }
}
