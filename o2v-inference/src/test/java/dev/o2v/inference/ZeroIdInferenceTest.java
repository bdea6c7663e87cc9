package dev.o2v.inference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import dev.o2v.core.data.ZeroIdRule;
import dev.o2v.inference.InferenceInstance;
import dev.o2v.train.model.TrainedModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Id 0 is padding for every encoder: a side with zeros leading, embedded or trailing answers as
 * the same side without them, alone or batched with longer sequences, and a side that is empty
 * or only zeros embeds to exactly zero. Each case runs through the inference runner, the path of
 * serving and batch inference.
 */
@Tag("engine")
class ZeroIdInferenceTest {

  private static final float TOLERANCE = 1e-5f;

  static Stream<Arguments> models() {
    Map<String, Object> bilstmOdd = TinyModels.hp("bilstm", "bilstm", "softmax");
    bilstmOdd.put("enc_dim", 7); // odd: the projection's bias must not leak into an empty side
    return Stream.of(
        Arguments.of("pooled_embedding", TinyModels.hp("pooled_embedding", "enc0", "softmax")),
        Arguments.of("hcnn", TinyModels.hp("hcnn", "hcnn", "mean_squared_error")),
        Arguments.of("bilstm odd enc_dim", bilstmOdd));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("models")
  void zerosAreIgnoredLikePaddingAndEmptySidesEmbedToZero(
      String name, Map<String, Object> hp, @TempDir Path work) throws Exception {
    Path modelDir = TinyModels.train(work, hp);
    try (TrainedModel model = TrainedModel.load(modelDir, Device.cpu())) {
      assertEquals(ZeroIdRule.PADDING, model.zeroIds(), "a newly trained model");
      InferenceRunner oneByOne = new InferenceRunner(model, 1);
      InferenceRunner batched = new InferenceRunner(model);
      int encDim = oneByOne.embeddingWidth();
      for (int side = 0; side < 2; side++) {
        int maxLen = oneByOne.defaultLengths().of(side);
        int[] plain = {5, 7};
        int[] cutZeros = new int[maxLen + 1]; // [5, 7, 0 ... 0, 9]: the 9 is past the cut
        cutZeros[0] = 5;
        cutZeros[1] = 7;
        cutZeros[maxLen] = 9;
        List<int[]> sameAsPlain =
            List.of(
                new int[] {5, 0, 7},
                new int[] {0, 5, 7},
                new int[] {5, 7, 0, 0},
                new int[] {0, 0, 5, 0, 7, 0},
                cutZeros);
        List<InferenceInstance> records = new ArrayList<>();
        records.add(InferenceInstance.single(side, plain));
        for (int[] ids : sameAsPlain) {
          records.add(InferenceInstance.single(side, ids));
        }
        records.add(InferenceInstance.single(side, new int[0]));
        records.add(InferenceInstance.single(side, new int[] {0, 0, 0}));
        records.add(InferenceInstance.single(side, new int[] {1, 2, 3, 4, 5, 6, 7}));
        for (InferenceRunner runner : List.of(oneByOne, batched)) {
          List<InferenceResult> results = runner.infer(records);
          float[] expected = results.get(0).embeddings();
          for (int i = 1; i <= sameAsPlain.size(); i++) {
            assertArrayEquals(
                expected,
                results.get(i).embeddings(),
                TOLERANCE,
                name + " in" + side + " " + Arrays.toString(records.get(i).ids(side))
                    + " vs [5, 7]: " + Arrays.toString(results.get(i).embeddings()));
          }
          for (int i = sameAsPlain.size() + 1; i <= sameAsPlain.size() + 2; i++) {
            float[] found = results.get(i).embeddings();
            assertArrayEquals(
                new float[encDim],
                found,
                0f,
                name + " in" + side + " " + Arrays.toString(records.get(i).ids(side))
                    + " must embed to zeros: " + Arrays.toString(found));
          }
        }
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("models")
  void aPairWithAnEmptyOrAllZeroSideIsScoredFromTheZeroEncoding(
      String name, Map<String, Object> hp, @TempDir Path work) throws Exception {
    try (TrainedModel model = TrainedModel.load(TinyModels.train(work, hp), Device.cpu())) {
      InferenceRunner runner = new InferenceRunner(model);
      List<InferenceResult> results =
          runner.infer(
              List.of(
                  InferenceInstance.pair(new int[0], new int[] {3, 4}),
                  InferenceInstance.pair(new int[] {0, 0}, new int[] {3, 0, 4}),
                  InferenceInstance.pair(new int[] {0}, new int[0])));
      assertArrayEquals(
          results.get(0).scores(), results.get(1).scores(), TOLERANCE, name + " empty vs zeros");
      for (InferenceResult r : results) {
        for (float v : r.scores()) {
          assertTrue(Float.isFinite(v), name + " scores " + Arrays.toString(r.scores()));
        }
      }
    }
  }
}
