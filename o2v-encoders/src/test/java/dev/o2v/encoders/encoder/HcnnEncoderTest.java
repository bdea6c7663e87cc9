package dev.o2v.encoders.encoder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv1d;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@Tag("engine")
class HcnnEncoderTest {

  @Test
  void channelSplitIsAsEvenAsPossibleWithTheFirstLayersWider() {
    assertArrayEquals(new int[] {2, 2, 2, 1}, HcnnEncoder.channelSplit(7, 4), "7 over 4");
    assertArrayEquals(new int[] {4, 3, 3}, HcnnEncoder.channelSplit(10, 3), "10 over 3");
    assertArrayEquals(new int[] {1024, 1024, 1024, 1024}, HcnnEncoder.channelSplit(4096, 4));
    assertArrayEquals(new int[] {5}, HcnnEncoder.channelSplit(5, 1), "one layer");
  }

  @Test
  void encDimSmallerThanLayersIsRejected() {
    IllegalArgumentException error =
        assertThrows(IllegalArgumentException.class, () -> new HcnnEncoder(3, 4, 3, 0f));
    assertTrue(error.getMessage().contains("found 3"), error.getMessage());
  }

  @Test
  void layerWidthsMatchTheSplitAndOutputIsNonNegative() {
    HcnnEncoder encoder = new HcnnEncoder(7, 4, 3, 0f);
    try (NDManager manager = NDManager.newBaseManager()) {
      EncoderFixtures.initialize(encoder, manager, DataType.FLOAT32, 8, 6, 3);
      int[] expected = {2, 2, 2, 1};
      for (int l = 0; l < expected.length; l++) {
        Shape weight = EncoderFixtures.parameter(encoder, "conv" + l + "_weight").getShape();
        assertEquals(expected[l], weight.get(0), "layer " + l + " weight " + weight);
        assertEquals(l == 0 ? 3 : expected[l - 1], weight.get(1), "layer " + l + " in channels");
      }
      double[] values = EncoderFixtures.uniform(new SplittableRandom(3), 8 * 6 * 3, 2.0);
      NDArray embedded =
          EncoderFixtures.embedded(manager, values, new Shape(8, 6, 3), DataType.FLOAT32);
      float[] out =
          EncoderFixtures.encode(encoder, manager, embedded, new int[] {6, 5, 4, 3, 2, 1, 1, 6})
              .toFloatArray();
      for (float v : out) {
        assertTrue(v >= 0f, "hcnn output must be non-negative: " + Arrays.toString(out));
      }
    }
  }

  @Test
  void oddWidthConvolutionIsCentredAndSeesZerosPastTheEnd() {
    // x = [1, 2, -1] then padding 100; w = [1, 0.5, -1], b = 0.25:
    // out = [0*1 + 0.5*1 - 1*2, 1*1 + 0.5*2 - 1*(-1), 1*2 + 0.5*(-1) - 1*0] + 0.25
    //     = [-1.25, 3.25, 1.75] -> max 3.25. Without zeroed padding out[2] would be -98.25+...
    assertEquals(
        3.25f, singleChannel(3, new float[] {1f, 0.5f, -1f}, 0.25f, new float[] {1, 2, -1}));
  }

  @Test
  void evenWidthConvolutionLooksOneMorePositionRight() {
    // Width 2 sees t .. t+1: with w = [0, 1] out[t] = x[t+1] = [1, 0] -> max 1 for x = [2, 1].
    // A left-leaning window (t-1 .. t) would give x[t] -> max 2; unmasked padding (100) -> 100.
    assertEquals(1f, singleChannel(2, new float[] {0f, 1f}, 0f, new float[] {2, 1}));
  }

  @ParameterizedTest
  @EnumSource(HcnnKernel.class)
  void eachKernelEqualsLibtorchsConvolutionWithManyChannels(HcnnKernel kernel) {
    // Random weights over 3 input and 5 output channels: the shift-major windows must meet the
    // weight [c, in, k], reordered to [c, k, in], entry for entry. Reference: conv1d channels
    // first, symmetric padding k/2, first position dropped for an even width, then ReLU and max
    // over time.
    String before = System.setProperty(HcnnKernel.PROPERTY, kernel.name());
    try {
      compareWithLibtorchsConvolution(kernel);
    } finally {
      EncoderFixtures.restoreKernelProperty(before);
    }
  }

  @Test
  void bothKernelsTrainToTheSameEncodingAndGradients() {
    // Two layers (3 -> 4 -> 3 channels) of each width, uneven lengths with NaN in the padding,
    // in training mode: the kernels must agree on the output and on every gradient.
    for (int width = 1; width <= 4; width++) {
      double[][] convolution = trainingPass(HcnnKernel.CONVOLUTION, width);
      double[][] windows = trainingPass(HcnnKernel.WINDOWS, width);
      for (int part = 0; part < convolution.length; part++) {
        assertArrayEquals(convolution[part], windows[part], 1e-12,
            "width " + width + ", part " + part + " (output, input gradient, weight gradients)");
      }
    }
  }

  @Test
  void everyPassUsesTheWindowsUnlessForced() {
    assertEquals(HcnnKernel.WINDOWS, HcnnKernel.choose(null));
    assertEquals(HcnnKernel.WINDOWS, HcnnKernel.choose(" "));
    assertEquals(HcnnKernel.WINDOWS, HcnnKernel.choose(" Windows "));
    assertEquals(HcnnKernel.CONVOLUTION, HcnnKernel.choose("convolution"));
    IllegalArgumentException error =
        assertThrows(IllegalArgumentException.class, () -> HcnnKernel.choose("im2col"));
    assertTrue(error.getMessage().contains("found im2col"), error.getMessage());
  }

  @Test
  void bothKernelsEncodeAlikeInSinglePrecisionFromFewChannelsToMany() {
    // float32 runs libtorch's optimised convolution (float64 takes its reference kernel), so
    // inference through it is compared with the window product at the widths hcnn meets.
    int[][] shapes = {{4, 6, 2, 3}, {3, 5, 1, 4}, {4, 6, 3, 2}, {64, 64, 4, 3}, {128, 512, 4, 3}};
    for (int[] shape : shapes) {
      float[] convolution = inferencePass(HcnnKernel.CONVOLUTION, shape);
      float[] windows = inferencePass(HcnnKernel.WINDOWS, shape);
      assertArrayEquals(windows, convolution, 1e-4f, "token dim, enc_dim, layers, width "
          + Arrays.toString(shape));
    }
  }

  /** One float32 inference pass forced to {@code kernel}: {token dim, enc_dim, layers, width}. */
  private static float[] inferencePass(HcnnKernel kernel, int[] shape) {
    String before = System.setProperty(HcnnKernel.PROPERTY, kernel.name());
    HcnnEncoder encoder = new HcnnEncoder(shape[1], shape[2], shape[3], 0f);
    try (NDManager manager = NDManager.newBaseManager()) {
      Engine.getInstance().setRandomSeed(3);
      EncoderFixtures.initialize(encoder, manager, DataType.FLOAT32, 6, 9, shape[0]);
      double[] values = EncoderFixtures.uniform(new SplittableRandom(4), 6 * 9 * shape[0], 1.0);
      NDArray embedded =
          EncoderFixtures.embedded(manager, values, new Shape(6, 9, shape[0]), DataType.FLOAT32);
      return EncoderFixtures.encode(encoder, manager, embedded, new int[] {9, 1, 4, 0, 7, 9})
          .toFloatArray();
    } finally {
      EncoderFixtures.restoreKernelProperty(before);
    }
  }

  /** Output, input gradient and weight gradients of one training pass forced to {@code kernel}. */
  private static double[][] trainingPass(HcnnKernel kernel, int width) {
    String before = System.setProperty(HcnnKernel.PROPERTY, kernel.name());
    HcnnEncoder encoder = new HcnnEncoder(7, 2, width, 0f);
    try (NDManager manager = NDManager.newBaseManager()) {
      EncoderFixtures.initialize(encoder, manager, DataType.FLOAT64, 3, 5, 3);
      for (int l = 0; l < 2; l++) {
        NDArray weight = EncoderFixtures.parameter(encoder, "conv" + l + "_weight").getArray();
        weight.set(EncoderFixtures.uniform(new SplittableRandom(l), (int) weight.size(), 1.0));
        NDArray bias = EncoderFixtures.parameter(encoder, "conv" + l + "_bias").getArray();
        bias.set(EncoderFixtures.uniform(new SplittableRandom(10 + l), (int) bias.size(), 0.5));
      }
      double[] values = EncoderFixtures.uniform(new SplittableRandom(20), 3 * 5 * 3, 1.0);
      int[] lengths = {5, 2, 0};
      for (int t = 2; t < 5; t++) {
        values[(5 + t) * 3] = Double.NaN; // padding of the second sequence
      }
      NDArray embedded =
          EncoderFixtures.embedded(manager, values, new Shape(3, 5, 3), DataType.FLOAT64);
      embedded.setRequiresGradient(true);
      ParameterStore store = new ParameterStore(manager, false);
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        NDArray out = encoder.forward(store, new NDList(embedded, manager.create(lengths)), true)
            .singletonOrThrow();
        collector.backward(out.mul(manager.arange(1, 8, 1, DataType.FLOAT64)).sum());
        return new double[][] {
          out.toDoubleArray(),
          embedded.getGradient().toDoubleArray(),
          EncoderFixtures.parameter(encoder, "conv0_weight").getArray().getGradient()
              .toDoubleArray(),
          EncoderFixtures.parameter(encoder, "conv1_weight").getArray().getGradient()
              .toDoubleArray(),
          EncoderFixtures.parameter(encoder, "conv1_bias").getArray().getGradient()
              .toDoubleArray()
        };
      }
    } finally {
      EncoderFixtures.restoreKernelProperty(before);
    }
  }

  private static void compareWithLibtorchsConvolution(HcnnKernel kernel) {
    for (int width = 1; width <= 4; width++) {
      HcnnEncoder encoder = new HcnnEncoder(5, 1, width, 0f);
      try (NDManager manager = NDManager.newBaseManager()) {
        EncoderFixtures.initialize(encoder, manager, DataType.FLOAT64, 2, 6, 3);
        NDArray weight = EncoderFixtures.parameter(encoder, "conv0_weight").getArray();
        weight.set(EncoderFixtures.uniform(new SplittableRandom(width), 5 * 3 * width, 1.0));
        NDArray bias = EncoderFixtures.parameter(encoder, "conv0_bias").getArray();
        bias.set(EncoderFixtures.uniform(new SplittableRandom(10 + width), 5, 0.5));
        double[] values = EncoderFixtures.uniform(new SplittableRandom(20 + width), 2 * 6 * 3, 1.0);
        NDArray embedded =
            EncoderFixtures.embedded(manager, values, new Shape(2, 6, 3), DataType.FLOAT64);
        double[] actual =
            EncoderFixtures.encode(encoder, manager, embedded, new int[] {6, 6}).toDoubleArray();
        NDArray conv = Conv1d.conv1d(embedded.transpose(0, 2, 1), weight, bias, new Shape(1),
            new Shape(width / 2), new Shape(1), 1).singletonOrThrow();
        if (width % 2 == 0) {
          conv = conv.get(new NDIndex(":, :, 1:"));
        }
        double[] expected = Activation.relu(conv).max(new int[] {2}).toDoubleArray();
        assertArrayEquals(expected, actual, 1e-12, kernel + ", width " + width);
      }
    }
  }

  /** One layer, one input and one output channel, sequence followed by two padding rows of 100. */
  private static float singleChannel(int width, float[] weight, float bias, float[] sequence) {
    HcnnEncoder encoder = new HcnnEncoder(1, 1, width, 0f);
    int time = sequence.length + 2;
    try (NDManager manager = NDManager.newBaseManager()) {
      EncoderFixtures.initialize(encoder, manager, DataType.FLOAT32, 1, time, 1);
      EncoderFixtures.parameter(encoder, "conv0_weight").getArray().set(weight);
      EncoderFixtures.parameter(encoder, "conv0_bias").getArray().set(new float[] {bias});
      float[] padded = Arrays.copyOf(sequence, time);
      Arrays.fill(padded, sequence.length, time, 100f);
      NDArray embedded = manager.create(padded, new Shape(1, time, 1));
      return EncoderFixtures.encode(encoder, manager, embedded, new int[] {sequence.length})
          .getFloat(0, 0);
    }
  }
}
