package dev.o2v.encoders;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import dev.o2v.core.hp.MlpActivation;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

class TransposedDenseProductTest {

  @Test
  void appliesFromEightToThirtyTwoRowsThroughWeightsOfAMillionElements() {
    assertTrue(TransposedDenseProduct.applies(32, 16384, 512));
    assertTrue(TransposedDenseProduct.applies(8, 1024, 1024));
    assertFalse(TransposedDenseProduct.applies(7, 16384, 512), "too few rows");
    assertFalse(TransposedDenseProduct.applies(33, 16384, 512), "too many rows");
    assertFalse(TransposedDenseProduct.applies(16, 1024, 1023), "weight below a million");
    assertFalse(TransposedDenseProduct.applies(16, 512, 2), "an output head");
  }

  @Tag("engine")
  @Test
  void inferenceGivesTheLayersOwnOutputUpToRoundingAndTrainingIsTheLayerItself() {
    try (NDManager manager = NDManager.newBaseManager()) {
      Engine.getInstance().setRandomSeed(5);
      int rows = 16;
      int inputs = 2048;
      int units = 512;
      Linear layer = Linear.builder().setUnits(units).build();
      layer.initialize(manager, DataType.FLOAT32, new Shape(rows, inputs));
      layer.getParameters().get("bias").getArray()
          .set(manager.randomUniform(-1f, 1f, new Shape(units)).toFloatArray());
      ParameterStore store = new ParameterStore(manager, false);
      NDList x = new NDList(manager.randomUniform(-1f, 1f, new Shape(rows, inputs)));
      assertTrue(TransposedDenseProduct.applies(rows, inputs, units));

      float[] own = layer.forward(store, x, false).head().toFloatArray();
      NDArray transposed = TransposedDenseProduct.forward(layer, store, x, false).head();
      assertEquals(new Shape(rows, units), transposed.getShape());
      assertArrayEquals(own, transposed.toFloatArray(), 1e-4f);

      float[] training = TransposedDenseProduct.forward(layer, store, x, true).head().toFloatArray();
      assertArrayEquals(layer.forward(store, x, true).head().toFloatArray(), training, 0f);
    }
  }

  @Tag("engine")
  @Test
  void anMlpScoresTheSameInInferenceAsInTrainingWithoutDropout() {
    try (NDManager manager = NDManager.newBaseManager()) {
      Engine.getInstance().setRandomSeed(9);
      Mlp mlp = Mlp.builder().setLayers(2).setUnits(1024).setActivation(MlpActivation.TANH)
          .build();
      Shape input = new Shape(24, 1024);
      mlp.initialize(manager, DataType.FLOAT32, input);
      ParameterStore store = new ParameterStore(manager, false);
      NDList x = new NDList(manager.randomUniform(-1f, 1f, input));
      float[] inference = mlp.forward(store, x, false).head().toFloatArray();
      float[] training = mlp.forward(store, x, true).head().toFloatArray();
      assertArrayEquals(training, inference, 1e-5f);
    }
  }
}
