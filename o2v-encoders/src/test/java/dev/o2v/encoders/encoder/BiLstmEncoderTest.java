package dev.o2v.encoders.encoder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("engine")
class BiLstmEncoderTest {

  private static final int DIM = 3;
  private static final int HIDDEN = 2;

  @Test
  void hiddenWidthIsHalfEncDimRoundedUpAndOddWidthsGetAProjection() {
    assertEquals(3, new BiLstmEncoder(6, 1, 0f).hidden(), "encDim 6");
    assertEquals(4, new BiLstmEncoder(7, 1, 0f).hidden(), "encDim 7");
    assertEquals(2048, new BiLstmEncoder(4096, 1, 0f).hidden(), "encDim 4096");
    long evenProjections = countProjections(new BiLstmEncoder(6, 2, 0f));
    long oddProjections = countProjections(new BiLstmEncoder(7, 2, 0f));
    assertEquals(0, evenProjections, "even encDim needs no projection");
    assertEquals(1, oddProjections, "odd encDim projects 2h to encDim");
  }

  private static long countProjections(BiLstmEncoder encoder) {
    return encoder.getChildren().keys().stream().filter(k -> k.endsWith("projection")).count();
  }

  @Test
  void forgetGateBiasStartsAtOneAndOtherGatesAtZero() {
    BidirectionalLstmLayer layer = new BidirectionalLstmLayer(HIDDEN);
    try (NDManager manager = NDManager.newBaseManager()) {
      layer.initialize(manager, DataType.FLOAT32, new Shape(1, 4, DIM), new Shape(1));
      float[] bias = EncoderFixtures.parameter(layer, "bwd_b_ih").getArray().toFloatArray();
      assertArrayEquals(new float[] {0, 0, 1, 1, 0, 0, 0, 0}, bias, 0f, Arrays.toString(bias));
    }
  }

  /**
   * Compares the encoder with a plain Java LSTM (gates i, f, g, o in PyTorch's order) run forward
   * over the sequence and backward from its last valid token, then max-pooled.
   */
  @Test
  void encodingMatchesAReferenceLstmRunBothWaysOverTheValidTokens() {
    BiLstmEncoder encoder = new BiLstmEncoder(2 * HIDDEN, 1, 0f);
    int length = 3;
    int time = 6;
    double[] values = EncoderFixtures.uniform(new SplittableRandom(5), time * DIM, 1.0);
    for (int i = length * DIM; i < values.length; i++) {
      values[i] = 50.0; // padding garbage
    }
    try (NDManager manager = NDManager.newBaseManager()) {
      EncoderFixtures.initialize(encoder, manager, DataType.FLOAT32, 1, time, DIM);
      NDArray embedded =
          EncoderFixtures.embedded(manager, values, new Shape(1, time, DIM), DataType.FLOAT32);
      float[] found =
          EncoderFixtures.encode(encoder, manager, embedded, new int[] {length}).toFloatArray();

      double[][] tokens = new double[length][];
      for (int t = 0; t < length; t++) {
        tokens[t] = Arrays.copyOfRange(values, t * DIM, (t + 1) * DIM);
      }
      double[][] reversed = new double[length][];
      for (int t = 0; t < length; t++) {
        reversed[t] = tokens[length - 1 - t];
      }
      double[][] forwardStates = referenceLstm(encoder, "fwd", tokens);
      double[][] backwardStates = referenceLstm(encoder, "bwd", reversed);
      float[] expected = new float[2 * HIDDEN];
      Arrays.fill(expected, Float.NEGATIVE_INFINITY);
      for (int t = 0; t < length; t++) {
        for (int j = 0; j < HIDDEN; j++) {
          expected[j] = Math.max(expected[j], (float) forwardStates[t][j]);
          expected[HIDDEN + j] = Math.max(expected[HIDDEN + j], (float) backwardStates[t][j]);
        }
      }
      assertArrayEquals(
          expected,
          found,
          1e-5f,
          "expected " + Arrays.toString(expected) + " found " + Arrays.toString(found));
    }
  }

  private static double[][] referenceLstm(BiLstmEncoder encoder, String dir, double[][] inputs) {
    return ReferenceLstm.run(
        inputs,
        doubles(weights(encoder, dir + "_w_ih")),
        doubles(weights(encoder, dir + "_w_hh")),
        doubles(weights(encoder, dir + "_b_ih")),
        doubles(weights(encoder, dir + "_b_hh")),
        HIDDEN);
  }

  private static double[] doubles(float[] values) {
    double[] doubles = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      doubles[i] = values[i];
    }
    return doubles;
  }

  private static float[] weights(BiLstmEncoder encoder, String name) {
    return EncoderFixtures.parameter(encoder, "lstm0_" + name).getArray().toFloatArray();
  }
}
