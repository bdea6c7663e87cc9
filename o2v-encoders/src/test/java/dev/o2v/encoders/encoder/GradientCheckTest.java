package dev.o2v.encoders.encoder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Back-propagated gradients of each encoder agree with central finite differences in float64, for
 * the input embeddings (padded rows must get exactly zero) and for a few entries of every weight,
 * with one sequence of length 0 in the batch.
 */
@Tag("engine")
class GradientCheckTest {

  private static final int BATCH = 3;
  private static final int TIME = 4;
  // The last row is empty (a side of only id 0): it must neither give NaN nor take a gradient.
  private static final int[] LENGTHS = {4, 2, 0};
  private static final double EPS = 1e-6;

  static Stream<Arguments> encoders() {
    return Stream.of(
        Arguments.of(
            "pooled_embedding", 5, (Supplier<AbstractBlock>) () -> new PooledEmbeddingEncoder(5)),
        Arguments.of(
            "hcnn 2 layers width 2",
            3,
            (Supplier<AbstractBlock>) () -> new HcnnEncoder(5, 2, 2, 0f)),
        Arguments.of(
            "hcnn 1 layer width 3",
            3,
            (Supplier<AbstractBlock>) () -> new HcnnEncoder(4, 1, 3, 0f)),
        Arguments.of(
            "bilstm 2 layers odd", 3, (Supplier<AbstractBlock>) () -> new BiLstmEncoder(5, 2, 0f)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("encoders")
  void backPropagatedGradientsMatchFiniteDifferences(
      String name, int dim, Supplier<AbstractBlock> factory) {
    AbstractBlock block = factory.get();
    SplittableRandom random = new SplittableRandom(17);
    Shape shape = new Shape(BATCH, TIME, dim);
    double[] inputs = EncoderFixtures.uniform(random, BATCH * TIME * dim, 1.0);
    try (NDManager manager = NDManager.newBaseManager()) {
      EncoderFixtures.initialize(block, manager, DataType.FLOAT64, BATCH, TIME, dim);
      Shape outShape = block.getOutputShapes(new Shape[] {shape, new Shape(BATCH)})[0];
      NDArray lossWeights =
          manager.create(EncoderFixtures.uniform(random, (int) outShape.size(), 1.0), outShape);
      Objective objective = new Objective(block, manager, shape, lossWeights);

      NDArray embedded = manager.create(inputs, shape);
      embedded.setRequiresGradient(true);
      double[] inputGradient;
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        collector.backward(objective.loss(embedded, true));
        inputGradient = embedded.getGradient().toDoubleArray();
        for (Pair<String, Parameter> entry : block.getParameters()) {
          checkParameter(name, entry, objective, inputs);
        }
      }
      for (int i = 0; i < inputs.length; i++) {
        int row = i / (TIME * dim);
        int t = (i / dim) % TIME;
        String where = String.format(Locale.ROOT, "%s input[%d,%d,%d]", name, row, t, i % dim);
        if (t >= LENGTHS[row]) {
          assertEquals(0.0, inputGradient[i], 0.0, where + " is padding");
        } else {
          double[] plus = inputs.clone();
          double[] minus = inputs.clone();
          plus[i] += EPS;
          minus[i] -= EPS;
          double numeric =
              (objective.loss(manager.create(plus, shape), false).getDouble()
                      - objective.loss(manager.create(minus, shape), false).getDouble())
                  / (2 * EPS);
          assertClose(where, numeric, inputGradient[i]);
        }
      }
    }
  }

  /** Compares the gradient of three entries (first, middle, last) of one parameter. */
  private static void checkParameter(
      String name, Pair<String, Parameter> entry, Objective objective, double[] inputs) {
    NDArray array = entry.getValue().getArray();
    double[] gradient = array.getGradient().toDoubleArray();
    double[] original = array.toDoubleArray();
    NDArray embedded = array.getManager().create(inputs, objective.shape);
    for (int i : new int[] {0, original.length / 2, original.length - 1}) {
      double[] perturbed = original.clone();
      perturbed[i] = original[i] + EPS;
      array.set(perturbed);
      double plus = objective.loss(embedded, false).getDouble();
      perturbed[i] = original[i] - EPS;
      array.set(perturbed);
      double minus = objective.loss(embedded, false).getDouble();
      array.set(original);
      assertClose(
          name + " " + entry.getKey() + "[" + i + "]", (plus - minus) / (2 * EPS), gradient[i]);
    }
  }

  private static void assertClose(String what, double numeric, double analytic) {
    double tolerance = 1e-6 + 1e-5 * Math.abs(numeric);
    assertTrue(
        Math.abs(numeric - analytic) <= tolerance,
        String.format(
            Locale.ROOT, "%s: finite difference %.9g, backprop %.9g", what, numeric, analytic));
  }

  /** The scalar {@code sum(encoder(x) * lossWeights)}. */
  private record Objective(AbstractBlock block, NDManager manager, Shape shape, NDArray weights) {
    NDArray loss(NDArray embedded, boolean training) {
      ParameterStore store = new ParameterStore(manager, false);
      NDList in = new NDList(embedded, manager.create(LENGTHS));
      return block.forward(store, in, training).singletonOrThrow().mul(weights).sum();
    }
  }
}
