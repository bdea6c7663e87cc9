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
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.o2v.core.hp.MlpActivation;
import java.util.List;
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
  void givesTheLayersOwnOutputAndGradientsUpToRounding() {
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
      NDArray input = manager.randomUniform(-1f, 1f, new Shape(rows, inputs));
      NDArray upstream = manager.randomUniform(-1f, 1f, new Shape(rows, units));
      assertTrue(TransposedDenseProduct.takes(input,
          layer.getParameters().get("weight").getArray().getShape()));
      assertFalse(TransposedDenseProduct.takes(input.reshape(rows, 1, inputs),
          layer.getParameters().get("weight").getArray().getShape()), "a 3-D input");

      float[] own = layer.forward(store, new NDList(input), false).head().toFloatArray();
      NDArray transposed =
          TransposedDenseProduct.forward(layer, store, new NDList(input), false).head();
      assertEquals(new Shape(rows, units), transposed.getShape());
      assertArrayEquals(own, transposed.toFloatArray(), 1e-4f);

      float[][] linearGradients = gradients(manager, layer, input, upstream,
          x -> layer.forward(store, x, true));
      float[][] transposedGradients = gradients(manager, layer, input, upstream,
          x -> TransposedDenseProduct.forward(layer, store, x, true));
      String[] names = {"input", "weight", "bias"};
      for (int i = 0; i < names.length; i++) {
        assertArrayEquals(linearGradients[i], transposedGradients[i], 1e-4f, names[i]);
      }
    }
  }

  /**
   * The gradients of input, weight and bias of {@code sum(forward(input) * upstream)}, the
   * parameters' gradients zeroed afterwards.
   */
  private static float[][] gradients(NDManager manager, Linear layer, NDArray input,
      NDArray upstream, java.util.function.Function<NDList, NDList> forward) {
    NDArray weight = layer.getParameters().get("weight").getArray();
    NDArray bias = layer.getParameters().get("bias").getArray();
    NDArray x = input.duplicate();
    x.setRequiresGradient(true);
    weight.setRequiresGradient(true);
    bias.setRequiresGradient(true);
    try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
      collector.backward(forward.apply(new NDList(x)).head().mul(upstream).sum());
    }
    float[][] read = {x.getGradient().toFloatArray(), weight.getGradient().toFloatArray(),
      bias.getGradient().toFloatArray()};
    // The parameters' gradients accumulate from one backward pass to the next: zero them.
    weight.getGradient().muli(0);
    bias.getGradient().muli(0);
    return read;
  }

  @Tag("engine")
  @Test
  void anMlpGivesItsLayersOwnChainUpToRounding() {
    try (NDManager manager = NDManager.newBaseManager()) {
      Engine.getInstance().setRandomSeed(9);
      Mlp mlp = Mlp.builder().setLayers(2).setUnits(1024).setActivation(MlpActivation.TANH)
          .build();
      Shape input = new Shape(24, 1024);
      mlp.initialize(manager, DataType.FLOAT32, input);
      assertTrue(TransposedDenseProduct.applies(24, 1024, 1024));
      ParameterStore store = new ParameterStore(manager, false);
      NDList x = new NDList(manager.randomUniform(-1f, 1f, input));
      NDList chain = x;
      List<Linear> layers = mlp.getChildren().values().stream()
          .filter(Linear.class::isInstance).map(Linear.class::cast).toList();
      assertEquals(2, layers.size());
      for (Linear layer : layers) {
        chain = new NDList(layer.forward(store, chain, false).head().tanh());
      }
      assertArrayEquals(chain.head().toFloatArray(),
          mlp.forward(store, x, false).head().toFloatArray(), 1e-5f);
    }
  }
}
