package dev.o2v.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.pytorch.jni.JniUtils;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("engine")
class Object2VecModelTest {

  private static Object2VecModel model;

  @TempDir Path dir;

  @BeforeAll
  static void open() throws IOException {
    model = Object2VecModel.open(TinyTextModel.shared());
  }

  @AfterAll
  static void close() {
    model.close();
  }

  private static List<int[]> sequences(int count, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    List<int[]> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      out.add(TinyTextModel.randomIds(rng, 9));
    }
    return out;
  }

  @Test
  void embeddingsComeAsRowsOrAsOneFlatArrayWithTheSameValues() {
    List<int[]> in0 = sequences(300, 1);
    float[][] rows = model.embed(Side.IN0, in0);
    FloatMatrix flat = model.embedFlat(Side.IN0, in0);
    assertEquals(300, rows.length);
    assertEquals(300, flat.rows());
    assertEquals(TinyTextModel.ENC_DIM, flat.columns());
    assertEquals(model.embeddingWidth(), flat.columns());
    for (int r = 0; r < rows.length; r++) {
      assertArrayEquals(rows[r], flat.row(r), "row " + r);
    }
  }

  @Test
  void eachSideHasItsOwnEncoder() {
    List<int[]> same = sequences(5, 2);
    float[][] in0 = model.embed(Side.IN0, same);
    float[][] in1 = model.embed(Side.IN1, same);
    assertTrue(!Arrays.equals(in0[0], in1[0]),
        "hcnn and bilstm gave the same vector " + Arrays.toString(in0[0]));
  }

  @Test
  void pairsGetClassProbabilities() {
    float[][] scores = model.score(sequences(20, 3), sequences(20, 4));
    FloatMatrix flat = model.scoreFlat(sequences(20, 3), sequences(20, 4));
    assertEquals(TinyTextModel.CLASSES, model.scoreWidth());
    for (int r = 0; r < scores.length; r++) {
      double sum = 0;
      for (float p : scores[r]) {
        sum += p;
      }
      assertEquals(1.0, sum, 1e-5, "scores of pair " + r + ": " + Arrays.toString(scores[r]));
      assertArrayEquals(scores[r], flat.row(r), "pair " + r);
    }
  }

  @Test
  void rawTextIsEmbeddedThroughTheModelsTokenizerAndVocabulary() {
    assertTrue(model.acceptsText());
    List<String> texts = List.of("A man plays the GUITAR", "kids play in the yard!");
    int[] ids = model.encodeText(Side.IN0, texts.get(0));
    assertEquals(5, ids.length, "ids " + Arrays.toString(ids));
    float[][] fromText = model.embedText(Side.IN0, texts);
    float[][] fromIds =
        model.embed(Side.IN0, List.of(ids, model.encodeText(Side.IN0, texts.get(1))));
    assertArrayEquals(fromIds[0], fromText[0]);
    assertArrayEquals(fromIds[1], fromText[1]);
    assertEquals(fromText[1].length, model.embedTextFlat(Side.IN0, texts).columns());
  }

  @Test
  void anIdOutsideTheVocabularyFailsTheCallNamingItsPosition() {
    List<int[]> inputs = new ArrayList<>(sequences(4, 5));
    inputs.set(2, new int[] {1, TinyTextModel.VOCAB});
    InvalidInputException e =
        assertThrows(InvalidInputException.class, () -> model.embed(Side.IN1, inputs));
    assertEquals(2, e.index());
    assertEquals("input 2: in1[1] = " + TinyTextModel.VOCAB + " is outside the vocabulary [0, "
        + TinyTextModel.VOCAB + ")", e.getMessage());
  }

  @Test
  void nullSequencesAreInvalidInputs() {
    List<int[]> withNull = Arrays.asList(new int[] {1}, null);
    assertEquals("input 1: in0 is null",
        assertThrows(InvalidInputException.class, () -> model.embed(Side.IN0, withNull))
            .getMessage());
  }

  @Test
  void emptySidesAndTextsWithoutTokensEmbedToZerosAndScoreFromTheZeroEncoding() {
    float[][] embedded =
        model.embed(Side.IN1, List.of(new int[0], new int[] {0, 0}, new int[] {1}));
    float[] zeros = new float[model.embeddingWidth()];
    assertArrayEquals(zeros, embedded[0], 0f, "empty side");
    assertArrayEquals(zeros, embedded[1], 0f, "side of only id 0");
    assertTrue(Arrays.stream(toDoubles(embedded[2])).anyMatch(v -> v != 0), "a real side");
    assertArrayEquals(zeros, model.embedText(Side.IN0, List.of("  "))[0], 0f, "no tokens");
    float[] emptyPair = model.score(List.of(new int[] {1}), List.of(new int[0]))[0];
    float[] zeroPair = model.score(List.of(new int[] {1}), List.of(new int[] {0}))[0];
    assertArrayEquals(zeroPair, emptyPair, 1e-6f, "empty and all-zero sides score alike");
  }

  private static double[] toDoubles(float[] values) {
    double[] out = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = values[i];
    }
    return out;
  }

  @Test
  void pairListsOfDifferentLengthsAreRejected() {
    assertThrows(IllegalArgumentException.class,
        () -> model.score(sequences(2, 6), sequences(3, 7)));
  }

  @Test
  void theThreadsOptionSetsLibtorchsThreadCount() throws IOException {
    int before = JniUtils.getNumThreads();
    try {
      try (Object2VecModel two =
          Object2VecModel.open(model.directory(), ModelOptions.defaults().withThreads(2))) {
        assertEquals(2, JniUtils.getNumThreads());
        assertEquals(model.embed(Side.IN0, sequences(3, 8))[2].length,
            two.embed(Side.IN0, sequences(3, 8))[2].length);
      }
    } finally {
      Object2VecModel.open(model.directory(), ModelOptions.defaults().withThreads(before)).close();
    }
    assertEquals(before, JniUtils.getNumThreads());
  }

  @Test
  void callsAfterCloseFailClearly() throws IOException {
    Object2VecModel closed = Object2VecModel.open(model.directory());
    closed.close();
    closed.close();
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> closed.embed(Side.IN0, sequences(1, 9)));
    assertTrue(e.getMessage().contains("closed"), e.getMessage());
  }

  @Test
  void aDirectoryThatIsNoModelIsAnIoErrorNamingTheFile() throws IOException {
    Files.writeString(dir.resolve("hyperparameters.json"), "{}");
    IOException e = assertThrows(IOException.class, () -> Object2VecModel.open(dir));
    assertTrue(e.getMessage().contains(dir.toString()), e.getMessage());
  }
}
