package dev.o2v.encoders.encoder;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import dev.o2v.core.hp.EncoderSpec;
import dev.o2v.core.hp.Network;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@Tag("engine")
class EncoderShapesTest {

  private static final int TOKEN_DIM = 4;

  static Stream<Arguments> networksLayersAndWidths() {
    Stream.Builder<Arguments> cases = Stream.builder();
    for (Network network : Network.values()) {
      for (int layers = 1; layers <= 4; layers++) {
        for (int encDim : new int[] {6, 7}) {
          cases.add(Arguments.of(network, layers, encDim));
        }
      }
    }
    return cases.build();
  }

  static EncoderSpec spec(Network network, int layers, int tokenDim, int filterWidth) {
    return new EncoderSpec(
        network, 50, 10, tokenDim, layers, filterWidth, Optional.empty(), Optional.empty(), true);
  }

  @ParameterizedTest(name = "{0} layers={1} encDim={2}")
  @MethodSource("networksLayersAndWidths")
  void factoryEncoderMapsEveryBatchRowToOneEncDimVector(Network network, int layers, int encDim) {
    int tokenDim = network == Network.POOLED_EMBEDDING ? encDim : TOKEN_DIM;
    int filterWidth = 2 + layers % 2; // alternate even and odd widths
    AbstractBlock block =
        EncoderFactory.create(spec(network, layers, tokenDim, filterWidth), encDim, 0.1f);
    try (NDManager manager = NDManager.newBaseManager()) {
      EncoderFixtures.initialize(block, manager, DataType.FLOAT32, 3, 5, tokenDim);
      Shape input = new Shape(3, 5, tokenDim);
      double[] values = EncoderFixtures.uniform(new SplittableRandom(7), 3 * 5 * tokenDim, 1.0);
      NDArray embedded = EncoderFixtures.embedded(manager, values, input, DataType.FLOAT32);
      NDArray out = EncoderFixtures.encode(block, manager, embedded, new int[] {5, 1, 3});
      assertEquals(new Shape(3, encDim), out.getShape(), "forward output shape");
      assertEquals(DataType.FLOAT32, out.getDataType(), "output type");
      Shape declared = block.getOutputShapes(new Shape[] {input, new Shape(3)})[0];
      assertEquals(new Shape(3, encDim), declared, "declared output shape");
    }
  }
}
