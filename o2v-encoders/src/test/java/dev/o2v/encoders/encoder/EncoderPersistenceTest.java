package dev.o2v.encoders.encoder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@Tag("engine")
class EncoderPersistenceTest {

  private static final int DIM = 6;

  static Stream<Arguments> encoders() {
    return Stream.of(
        Arguments.of(
            "pooled_embedding", (Supplier<AbstractBlock>) () -> new PooledEmbeddingEncoder(DIM)),
        Arguments.of("hcnn", (Supplier<AbstractBlock>) () -> new HcnnEncoder(7, 3, 2, 0.2f)),
        Arguments.of("bilstm", (Supplier<AbstractBlock>) () -> new BiLstmEncoder(7, 2, 0.2f)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("encoders")
  void savedAndReloadedEncoderGivesBitIdenticalOutputs(String name, Supplier<AbstractBlock> factory)
      throws Exception {
    try (NDManager manager = NDManager.newBaseManager()) {
      AbstractBlock original = factory.get();
      EncoderFixtures.initialize(original, manager, DataType.FLOAT32, 3, 5, DIM);
      byte[] saved = save(original);

      AbstractBlock reloaded = factory.get();
      reloaded.loadParameters(manager, new DataInputStream(new ByteArrayInputStream(saved)));

      double[] values = EncoderFixtures.uniform(new SplittableRandom(23), 3 * 5 * DIM, 1.0);
      NDArray embedded =
          EncoderFixtures.embedded(manager, values, new Shape(3, 5, DIM), DataType.FLOAT32);
      int[] lengths = {5, 2, 4};
      float[] before = EncoderFixtures.encode(original, manager, embedded, lengths).toFloatArray();
      float[] after = EncoderFixtures.encode(reloaded, manager, embedded, lengths).toFloatArray();
      assertArrayEquals(before, after, 0f, name + " outputs after reload");
      assertArrayEquals(saved, save(reloaded), name + " re-saved bytes");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("encoders")
  void unknownFormatVersionIsRejected(String name, Supplier<AbstractBlock> factory)
      throws Exception {
    try (NDManager manager = NDManager.newBaseManager()) {
      AbstractBlock original = factory.get();
      EncoderFixtures.initialize(original, manager, DataType.FLOAT32, 3, 5, DIM);
      byte[] saved = save(original);
      saved[0] = 9; // the block's format version byte comes first
      MalformedModelException error =
          assertThrows(
              MalformedModelException.class,
              () ->
                  factory
                      .get()
                      .loadParameters(
                          manager, new DataInputStream(new ByteArrayInputStream(saved))));
      assertTrue(error.getMessage().contains("found 9"), error.getMessage());
    }
  }

  @Test
  void parametersSavedWithAnotherFilterWidthAreRejected() throws Exception {
    try (NDManager manager = NDManager.newBaseManager()) {
      HcnnEncoder original = new HcnnEncoder(7, 3, 3, 0f);
      EncoderFixtures.initialize(original, manager, DataType.FLOAT32, 3, 5, DIM);
      byte[] saved = save(original);
      MalformedModelException error =
          assertThrows(
              MalformedModelException.class,
              () ->
                  new HcnnEncoder(7, 3, 2, 0f)
                      .loadParameters(
                          manager, new DataInputStream(new ByteArrayInputStream(saved))));
      assertTrue(error.getMessage().contains("filterWidth=3"), error.getMessage());
    }
  }

  private static byte[] save(AbstractBlock block) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      block.saveParameters(out);
    }
    return bytes.toByteArray();
  }
}
