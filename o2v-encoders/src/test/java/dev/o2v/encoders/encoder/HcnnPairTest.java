package dev.o2v.encoders.encoder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Two hcnn encoders in one pass ({@link HcnnEncoder#encodePair}) against each one's own pass. */
@Tag("engine")
class HcnnPairTest {

  private static final int BATCH = 3;
  private static final int DIM = 3;
  private static final int ENC_DIM = 7;
  private static final int LAYERS = 2;

  @Test
  void onePassGivesEachSideItsOwnEncodingAndEveryGradient() {
    // Widths 1-3 shift by padding, 4-5 by padding and slices; the sides differ in length both
    // ways, hold a length-0 and a full sequence and NaN in their padding.
    for (int width = 1; width <= 5; width++) {
      for (int[] times : new int[][] {{5, 3}, {3, 5}, {4, 4}}) {
        List<double[]> separate = trainingPass(width, times, false);
        List<double[]> paired = trainingPass(width, times, true);
        for (int part = 0; part < separate.size(); part++) {
          assertArrayEquals(separate.get(part), paired.get(part), 1e-12, "width " + width
              + ", lengths " + times[0] + "/" + times[1] + ", part " + part
              + " (two outputs, two input gradients, then each encoder's weight and bias"
              + " gradients)");
        }
      }
    }
  }

  @Test
  void onlyEncodersAlikeInEverythingButTheirWeightsPair() {
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray small = manager.zeros(new Shape(4, 6, 8));
      HcnnEncoder encoder = new HcnnEncoder(16, 2, 3, 0f);
      assertTrue(encoder.pairsWith(new HcnnEncoder(16, 2, 3, 0f), small,
          manager.zeros(new Shape(4, 9, 8))), "same settings, other length");
      assertFalse(encoder.pairsWith(new HcnnEncoder(16, 4, 3, 0f), small, small), "layers");
      assertFalse(encoder.pairsWith(new HcnnEncoder(16, 2, 5, 0f), small, small), "width");
      assertFalse(encoder.pairsWith(new HcnnEncoder(18, 2, 3, 0f), small, small), "channels");
      assertFalse(encoder.pairsWith(new HcnnEncoder(16, 2, 3, 0.1f), small, small), "dropout");
      assertFalse(encoder.pairsWith(new HcnnEncoder(16, 2, 3, 0f), small,
          manager.zeros(new Shape(4, 6, 5))), "token width");
      assertFalse(encoder.pairsWith(new HcnnEncoder(16, 2, 3, 0f), small,
          manager.zeros(new Shape(5, 6, 8))), "batch size");
      // SageMaker's default sizes: 1,280 rows of 3 x 300 inputs into 1,024 channels.
      HcnnEncoder large = new HcnnEncoder(4096, 4, 3, 0f);
      NDArray defaults = manager.zeros(new Shape(32, 40, 300));
      assertFalse(large.pairsWith(new HcnnEncoder(4096, 4, 3, 0f), defaults, defaults),
          "products past the limit");
      String before = System.setProperty(HcnnKernel.PROPERTY, "convolution");
      try {
        assertFalse(encoder.pairsWith(new HcnnEncoder(16, 2, 3, 0f), small, small),
            "convolution kernel");
      } finally {
        EncoderFixtures.restoreKernelProperty(before);
      }
    }
  }

  /**
   * Both encodings, both input gradients and every weight gradient of one training pass over two
   * sides of {@code times[0]} and {@code times[1]} positions, in one pass or one per encoder.
   */
  private static List<double[]> trainingPass(int width, int[] times, boolean paired) {
    HcnnEncoder[] encoders = {
      new HcnnEncoder(ENC_DIM, LAYERS, width, 0f), new HcnnEncoder(ENC_DIM, LAYERS, width, 0f)
    };
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray[] embedded = new NDArray[2];
      NDArray[] lengths = new NDArray[2];
      for (int side = 0; side < 2; side++) {
        int time = times[side];
        EncoderFixtures.initialize(encoders[side], manager, DataType.FLOAT64, BATCH, time, DIM);
        for (int l = 0; l < LAYERS; l++) {
          NDArray weight =
              EncoderFixtures.parameter(encoders[side], "conv" + l + "_weight").getArray();
          weight.set(EncoderFixtures.uniform(
              new SplittableRandom(100 * side + l), (int) weight.size(), 1.0));
          NDArray bias = EncoderFixtures.parameter(encoders[side], "conv" + l + "_bias").getArray();
          bias.set(EncoderFixtures.uniform(
              new SplittableRandom(100 * side + 10 + l), (int) bias.size(), 0.5));
        }
        double[] values =
            EncoderFixtures.uniform(new SplittableRandom(50 + side), BATCH * time * DIM, 1.0);
        int[] sideLengths = {time, side == 0 ? 2 : 1, 0};
        for (int t = sideLengths[1]; t < time; t++) {
          values[(time + t) * DIM] = Double.NaN; // padding of the second sequence
        }
        embedded[side] = EncoderFixtures.embedded(
            manager, values, new Shape(BATCH, time, DIM), DataType.FLOAT64);
        embedded[side].setRequiresGradient(true);
        lengths[side] = manager.create(sideLengths);
      }
      ParameterStore store = new ParameterStore(manager, false);
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        NDList out;
        if (paired) {
          assertTrue(encoders[0].pairsWith(encoders[1], embedded[0], embedded[1]), "pairs");
          out = HcnnEncoder.encodePair(store, encoders[0], embedded[0], lengths[0], encoders[1],
              embedded[1], lengths[1], true);
        } else {
          out = new NDList(
              encoders[0].forward(store, new NDList(embedded[0], lengths[0]), true).head(),
              encoders[1].forward(store, new NDList(embedded[1], lengths[1]), true).head());
        }
        NDArray weights = manager.arange(1, ENC_DIM + 1, 1, DataType.FLOAT64);
        collector.backward(out.get(0).mul(weights).sum().add(out.get(1).mul(weights).sum()));
        List<double[]> parts = new ArrayList<>();
        parts.add(out.get(0).toDoubleArray());
        parts.add(out.get(1).toDoubleArray());
        parts.add(embedded[0].getGradient().toDoubleArray());
        parts.add(embedded[1].getGradient().toDoubleArray());
        for (HcnnEncoder encoder : encoders) {
          for (int l = 0; l < LAYERS; l++) {
            for (String name : new String[] {"_weight", "_bias"}) {
              parts.add(EncoderFixtures.parameter(encoder, "conv" + l + name).getArray()
                  .getGradient().toDoubleArray());
            }
          }
        }
        return parts;
      }
    }
  }
}
