package dev.o2v.train.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.engine.Engine;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("engine")
class PairLossTest {

  @Test
  void crossEntropyIsMinusLogSoftmaxOfTheLabel() {
    try (NDManager m = NDManager.newBaseManager()) {
      float[][] logits = {{1f, 2f, 0.5f}, {0f, 0f, 3f}};
      int[] labels = {1, 0};
      double expected = 0;
      int correct = 0;
      for (int r = 0; r < 2; r++) {
        double z = 0;
        for (float v : logits[r]) {
          z += Math.exp(v);
        }
        expected += -(logits[r][labels[r]] - Math.log(z));
        correct += labels[r] == (r == 0 ? 1 : 2) ? 1 : 0;
      }
      NDArray out = m.create(new float[] {1f, 2f, 0.5f, 0f, 0f, 3f}, new Shape(2, 3));
      NDArray y = m.create(new float[] {1f, 0f});
      SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
      assertEquals(expected / 2, loss.mean(out, y).getFloat(), 1e-6);
      assertArrayEquals(new double[] {expected, correct}, loss.sums(out, y), 1e-5);
    }
  }

  @Test
  void mseIsTheTrueMeanAndHasTheRightGradient() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray out = m.create(new float[] {1f, 4f}, new Shape(2, 1));
      out.setRequiresGradient(true);
      NDArray y = m.create(new float[] {2f, 1f});
      MeanSquaredError loss = new MeanSquaredError();
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        NDArray value = loss.mean(out, y);
        assertEquals((1.0 + 9.0) / 2, value.getFloat(), 1e-6, "not half of it");
        collector.backward(value);
      }
      // d/dp mean((p - y)^2) = (p - y) for two records
      assertArrayEquals(new float[] {-1f, 3f}, out.getGradient().toFloatArray(), 1e-6f);
      assertArrayEquals(new double[] {10.0, 0}, loss.sums(out, y), 1e-6);
    }
  }
}
