package dev.o2v.encoders;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.o2v.core.hp.Network;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("engine")
class PretrainedEmbeddingsTest {

  private static final String VOCAB = "{\"the\": 0, \"cat\": 2, \"sat\": 3, \"mat\": 4}";
  private static final String VECTORS =
      "the 0.5 -1 2\n" + "dog 9 9 9\n" + "cat 1e-2 3.25 -0.75\n" + "\n" + "the 7 7 7\n";

  @TempDir Path dir;
  private NDManager manager;

  @BeforeEach
  void setUp() {
    Engine.getInstance().setRandomSeed(3);
    manager = NDManager.newBaseManager();
  }

  @AfterEach
  void tearDown() {
    manager.close();
  }

  private void write(String name, String text) throws IOException {
    Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
  }

  private TokenEmbedding table(int vocab, int dim) {
    TokenEmbedding table =
        TokenEmbedding.builder().setVocabSize(vocab).setEmbeddingDim(dim).build();
    table.initialize(manager, DataType.FLOAT32, new Shape(1, 1));
    return table;
  }

  private static float[] row(TokenEmbedding table, int id) {
    return table.table().getArray().get(id).toFloatArray();
  }

  @Test
  void vocabularyRowsTakeTheFileVectorsAndOtherRowsKeepTheirInit() throws IOException {
    write("glove.txt", VECTORS);
    write("vocab.json", VOCAB);
    TokenEmbedding table = table(6, 3);
    float[][] before = new float[6][];
    for (int r = 0; r < 6; r++) {
      before[r] = row(table, r);
    }
    PretrainedEmbeddings found = PretrainedEmbeddings.load(dir, "glove.txt", "vocab.json", 6, 3);
    assertEquals(2, found.rowCount(), "the and cat are in both files");
    assertEquals(1, found.skippedTokens(), "dog is not in the vocabulary");
    found.applyTo(table, false);

    assertArrayEquals(new float[] {0.5f, -1f, 2f}, row(table, 0), 0f, "first 'the' line wins");
    assertArrayEquals(new float[] {0.01f, 3.25f, -0.75f}, row(table, 2), 0f, "cat");
    for (int r : new int[] {1, 3, 4, 5}) {
      assertArrayEquals(before[r], row(table, r), 0f, "row " + r + " keeps its init");
    }
    assertEquals(0, table.frozenRowCount(), "freeze off");
  }

  @Test
  void freezingMarksOnlyThePretrainedRows() throws IOException {
    write("glove.txt", VECTORS);
    write("vocab.json", VOCAB);
    TokenEmbedding table = table(6, 3);
    PretrainedEmbeddings.load(dir, "glove.txt", "vocab.json", 6, 3).applyTo(table, true);
    assertArrayEquals(new int[] {0, 2}, table.frozenRows());
  }

  @Test
  void widthMismatchNamesFileAndLine() throws IOException {
    write("glove.txt", "the 1 2 3\ncat 1 2\n");
    write("vocab.json", VOCAB);
    PretrainedEmbeddingException e =
        assertThrows(
            PretrainedEmbeddingException.class,
            () -> PretrainedEmbeddings.load(dir, "glove.txt", "vocab.json", 6, 3));
    assertEquals(
        dir.resolve("glove.txt") + ":2: vector width must equal the token embedding dim 3, found 2",
        e.getMessage());
    assertEquals(2L, e.line().getAsLong());
  }

  @Test
  void vocabularyEntriesWhoseIdNamesNoRowAreSkippedAndCounted() throws IOException {
    write("glove.txt", VECTORS);
    // As in a vocabulary that gives <unk> the id equal to the vocab size.
    write("vocab.json", "{\"the\": 0, \"cat\": 2, \"<unk>\": 6, \"neg\": -1}");
    PretrainedEmbeddings found = PretrainedEmbeddings.load(dir, "glove.txt", "vocab.json", 6, 3);
    assertArrayEquals(new int[] {0, 2}, found.rowIds(), "the usable entries still load");

    PretrainedEmbeddings.Checked checked =
        PretrainedEmbeddings.check(dir, "glove.txt", "vocab.json", 6, 3);
    assertEquals(2, checked.vocabularyEntries());
    assertEquals(2, checked.skipped().count());
    assertEquals(3, checked.width());
    assertEquals(
        dir.resolve("vocab.json") + ": skipped 2 vocabulary entries whose id is outside [0, 6)"
            + " (e.g. '<unk>' = 6); no table row takes them",
        checked.skipped().warning(dir.resolve("vocab.json"), 6).orElseThrow());
  }

  @Test
  void aVocabularyIdThatIsNotAnIntegerIsStillAnError() throws IOException {
    write("glove.txt", VECTORS);
    write("vocab.json", "{\"the\": 0, \"zebra\": \"six\"}");
    PretrainedEmbeddingException e =
        assertThrows(
            PretrainedEmbeddingException.class,
            () -> PretrainedEmbeddings.check(dir, "glove.txt", "vocab.json", 6, 3));
    assertTrue(
        e.getMessage().endsWith("id of token 'zebra' must be an integer, found \"six\""),
        e.getMessage());
  }

  @Test
  void checkReadsOnlyTheFirstVectorAndRefusesAWrongWidthThere() throws IOException {
    write("glove.840B-trim.txt", "\nthe 1 2\ncat 1 2 3\n");
    write("vocab.json", VOCAB);
    PretrainedEmbeddingException e =
        assertThrows(
            PretrainedEmbeddingException.class,
            () -> PretrainedEmbeddings.check(dir, "glove.840B-trim.txt", "vocab.json", 6, 3));
    assertEquals(dir.resolve("glove.840B-trim.txt")
        + ":2: vector width must equal the token embedding dim 3, found 2", e.getMessage());
  }

  @Test
  void checkOfAVocabularyAloneNeedsNoEmbeddingFile() throws IOException {
    write("vocab-1.json", VOCAB);
    PretrainedEmbeddings.Checked checked =
        PretrainedEmbeddings.check(dir, null, "vocab-1.json", 6, 3);
    assertEquals(4, checked.vocabularyEntries());
    assertEquals(0, checked.skipped().count());
    assertTrue(checked.skipped().warning(dir.resolve("vocab-1.json"), 6).isEmpty());
  }

  @Test
  void nonNumericValueNamesTheLine() throws IOException {
    write("glove.txt", "the 1 x 3\n");
    write("vocab.json", VOCAB);
    PretrainedEmbeddingException e =
        assertThrows(
            PretrainedEmbeddingException.class,
            () -> PretrainedEmbeddings.load(dir, "glove.txt", "vocab.json", 6, 3));
    assertTrue(e.getMessage().endsWith(":1: value 2 must be a number, found 'x'"), e.getMessage());
  }

  @Test
  void fileNamesMustNotBePaths() {
    for (String bad : new String[] {"../glove.txt", "sub/glove.txt", "..", ""}) {
      assertThrows(
          PretrainedEmbeddingException.class,
          () -> PretrainedEmbeddings.load(dir, bad, "vocab.json", 6, 3),
          bad);
    }
  }

  @Test
  void hyphensAreAllowedButAHiddenFileIsRefusedEvenWhenItExists() throws IOException {
    write("glove.840B-trim.txt", VECTORS);
    write(".glove.txt", VECTORS);
    write("vocab.json", VOCAB);
    assertEquals(2,
        PretrainedEmbeddings.load(dir, "glove.840B-trim.txt", "vocab.json", 6, 3).rowCount());
    PretrainedEmbeddingException e =
        assertThrows(
            PretrainedEmbeddingException.class,
            () -> PretrainedEmbeddings.load(dir, ".glove.txt", "vocab.json", 6, 3));
    assertEquals(dir + ": file name must be [A-Za-z0-9._-]+ not starting with a dot, found"
        + " '.glove.txt'", e.getMessage());
  }

  @Test
  void missingFilesAreNamed() throws IOException {
    write("vocab.json", VOCAB);
    PretrainedEmbeddingException e =
        assertThrows(
            PretrainedEmbeddingException.class,
            () -> PretrainedEmbeddings.load(dir, "absent.txt", "vocab.json", 6, 3));
    assertEquals(dir.resolve("absent.txt") + ": file not found", e.getMessage());
  }

  @Test
  void networkAppliesAndFreezesSideZeroFilesOnceWhenTied() throws IOException {
    write("glove.txt", "the 1 2 3 4 5\ncat 5 4 3 2 1\n");
    write("vocab.json", VOCAB);
    HpFixture f = new HpFixture();
    f.network0 = Network.HCNN;
    f.tied = true;
    f.pretrained0 = Optional.of("glove.txt");
    f.vocabFile0 = Optional.of("vocab.json");
    Object2VecBlock block = new Object2VecBlock(f.build());
    block.initialize(
        manager, DataType.FLOAT32, new Shape(2, 3), new Shape(2), new Shape(2, 3), new Shape(2));
    block.applyPretrainedEmbeddings(dir);
    TokenEmbedding shared = block.tokenEmbedding(1);
    assertArrayEquals(new float[] {5, 4, 3, 2, 1}, row(shared, 2), 0f);
    assertArrayEquals(new int[] {0, 2}, shared.frozenRows());
  }
}
