package dev.o2v.encoders;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.o2v.core.hp.OutputLayer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("engine")
class OutputHeadTest {

  private NDManager manager;

  @BeforeEach
  void setUp() {
    Engine.getInstance().setRandomSeed(11);
    manager = NDManager.newBaseManager();
  }

  @AfterEach
  void tearDown() {
    manager.close();
  }

  private NDArray forward(OutputHead head, int batch, int in) {
    head.initialize(manager, DataType.FLOAT32, new Shape(batch, in));
    NDArray x = manager.randomNormal(new Shape(batch, in));
    return head.forward(new ParameterStore(manager, false), new NDList(x), false).head();
  }

  @Test
  void softmaxScoresArePositiveAndSumToOne() {
    OutputHead head = new OutputHead(OutputLayer.SOFTMAX, 3);
    NDArray logits = forward(head, 5, 4);
    assertEquals(new Shape(5, 3), logits.getShape(), "logits shape");
    float[] sums = head.scores(logits).sum(new int[] {1}).toFloatArray();
    for (float s : sums) {
      assertEquals(1f, s, 1e-6f, "row sum");
    }
    float[] p = head.scores(logits).toFloatArray();
    for (float v : p) {
      assertTrue(v > 0f && v < 1f, "probability " + v);
    }
  }

  @Test
  void softmaxOfKnownLogitsMatchesTheFormula() {
    NDArray logits = manager.create(new float[] {0f, (float) Math.log(3)}, new Shape(1, 2));
    assertArrayEquals(
        new float[] {0.25f, 0.75f},
        OutputHead.scores(OutputLayer.SOFTMAX, logits).toFloatArray(),
        1e-6f);
  }

  @Test
  void regressionHeadHasWidthOneAndReturnsRawValues() {
    OutputHead head = new OutputHead(OutputLayer.MEAN_SQUARED_ERROR, 7);
    assertEquals(1, head.width(), "regression ignores num_classes");
    NDArray values = forward(head, 4, 6);
    assertEquals(new Shape(4, 1), values.getShape(), "values shape");
    assertArrayEquals(values.toFloatArray(), head.scores(values).toFloatArray(), 0f);
  }

  @Test
  void biasStartsAtZero() {
    OutputHead head = new OutputHead(OutputLayer.SOFTMAX, 4);
    head.initialize(manager, DataType.FLOAT32, new Shape(1, 3));
    NDArray zeros = manager.zeros(new Shape(2, 3));
    float[] out =
        head.forward(new ParameterStore(manager, false), new NDList(zeros), false)
            .head()
            .toFloatArray();
    assertArrayEquals(new float[8], out, 0f, "zero input and zero bias give zero logits");
  }

  @Test
  void regressionHeadStartedAtAValuePredictsItForZeroInput() {
    OutputHead head = new OutputHead(OutputLayer.MEAN_SQUARED_ERROR, 2);
    head.initialize(manager, DataType.FLOAT32, new Shape(1, 3));
    head.startAt(3.5f);
    float[] out =
        head.forward(new ParameterStore(manager, false), new NDList(manager.zeros(new Shape(2, 3))),
                false)
            .head()
            .toFloatArray();
    assertArrayEquals(new float[] {3.5f, 3.5f}, out, 0f, "zero input gives the starting value");
  }

  @Test
  void onlyARegressionHeadHasAStartingValue() {
    OutputHead head = new OutputHead(OutputLayer.SOFTMAX, 2);
    head.initialize(manager, DataType.FLOAT32, new Shape(1, 3));
    assertThrows(IllegalStateException.class, () -> head.startAt(1f));
  }

  @Test
  void softmaxNeedsTwoClasses() {
    assertThrows(IllegalArgumentException.class, () -> new OutputHead(OutputLayer.SOFTMAX, 1));
  }
}
