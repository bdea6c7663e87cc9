package dev.o2v.encoders;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.MalformedModelException;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.o2v.core.io.BulkDataInput;
import dev.o2v.core.io.BulkDataOutput;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("engine")
class TokenEmbeddingTest {

  private static final int V = 6;
  private static final int D = 4;

  private NDManager manager;
  private ParameterStore store;

  @BeforeEach
  void setUp() {
    Engine.getInstance().setRandomSeed(5);
    manager = NDManager.newBaseManager();
    store = new ParameterStore(manager, false);
  }

  @AfterEach
  void tearDown() {
    manager.close();
  }

  private TokenEmbedding table(int vocab, int dim) {
    TokenEmbedding table =
        TokenEmbedding.builder().setVocabSize(vocab).setEmbeddingDim(dim).build();
    table.initialize(manager, DataType.FLOAT32, new Shape(1, 1));
    return table;
  }

  private float[] row(TokenEmbedding table, int id) {
    return table.table().getArray().get(id).toFloatArray();
  }

  @Test
  void lookupReturnsTheTableRowsOfTheIds() {
    TokenEmbedding table = table(V, D);
    NDArray ids = manager.create(new int[] {3, 0, 5, 3}, new Shape(2, 2));
    NDArray out = table.forward(store, new NDList(ids), false).singletonOrThrow();
    assertEquals(new Shape(2, 2, D), out.getShape(), "shape");
    int[] expectedRows = {3, 0, 5, 3};
    for (int i = 0; i < expectedRows.length; i++) {
      assertArrayEquals(
          row(table, expectedRows[i]), out.get(i / 2, i % 2).toFloatArray(), 0f, "position " + i);
    }
    assertEquals(new Shape(2, 2, D), table.getOutputShapes(new Shape[] {new Shape(2, 2)})[0]);
  }

  @Test
  void gradientReachesExactlyTheLookedUpRows() {
    TokenEmbedding table = table(V, D);
    NDArray ids = manager.create(new int[] {1, 4, 1}, new Shape(1, 3));
    try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
      collector.backward(table.lookup(store, ids, true).sum());
    }
    NDArray grad = table.table().getArray().getGradient();
    float[] perRow = grad.sum(new int[] {1}).toFloatArray();
    assertArrayEquals(new float[] {0, 2 * D, 0, 0, D, 0}, perRow, 0f, "row 1 twice, row 4 once");
  }

  @Test
  void initialRowsHaveUnitExpectedSquaredNorm() {
    int dim = 64;
    TokenEmbedding table = table(2000, dim);
    float[] w = table.table().getArray().toFloatArray();
    double sq = 0;
    for (float v : w) {
      sq += (double) v * v;
    }
    double meanSquaredNorm = sq / 2000;
    assertEquals(1.0, meanSquaredNorm, 0.02, "mean squared row norm with std 1/sqrt(D)");
  }

  @Test
  void frozenRowsStayFixedUnderAnOptimizerStepWhileOthersMove() {
    TokenEmbedding table = table(V, D);
    table.freezeRows(new int[] {1, 3});
    float[][] before = new float[V][];
    for (int r = 0; r < V; r++) {
      before[r] = row(table, r);
    }
    NDArray ids = manager.create(new int[] {0, 1, 2, 3, 4, 5}, new Shape(2, 3));
    NDArray weights = table.table().getArray();
    try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
      NDArray out = table.lookup(store, ids, true);
      collector.backward(out.mul(out).sum());
    }
    NDArray grad = weights.getGradient();
    table.applyFreeze(grad);
    weights.subi(grad.mul(0.5f));
    for (int r = 0; r < V; r++) {
      boolean frozen = r == 1 || r == 3;
      boolean same = java.util.Arrays.equals(before[r], row(table, r));
      assertEquals(frozen, same, "row " + r + (frozen ? " must stay" : " must move"));
    }
    NDArray mask = table.trainableRowMask(manager);
    assertEquals(new Shape(V, 1), mask.getShape());
    assertArrayEquals(new float[] {1, 0, 1, 0, 1, 1}, mask.toFloatArray(), 0f);
  }

  @Test
  void gatheredRowGradientsLoseTheirFrozenRows() {
    TokenEmbedding table = table(V, D);
    table.freezeRows(new int[] {4});
    NDArray rowGrad = manager.ones(new Shape(3, D));
    table.applyFreeze(rowGrad, manager.create(new long[] {5, 4, 0}));
    float[] perRow = rowGrad.sum(new int[] {1}).toFloatArray();
    assertArrayEquals(new float[] {D, 0, D}, perRow, 0f);
  }

  @Test
  void setRowsOverwritesOnlyThoseRows() {
    TokenEmbedding table = table(V, D);
    float[] untouched = row(table, 0);
    table.setRows(new int[] {2, 5}, new float[] {1, 2, 3, 4, -1, -2, -3, -4});
    assertArrayEquals(new float[] {1, 2, 3, 4}, row(table, 2), 0f);
    assertArrayEquals(new float[] {-1, -2, -3, -4}, row(table, 5), 0f);
    assertArrayEquals(untouched, row(table, 0), 0f);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> table.setRows(new int[] {6}, new float[D]));
    assertEquals("row id must be in [0, 6), found 6", e.getMessage());
  }

  @Test
  void saveLoadRoundTripsInSeveralChunksWithFrozenRows() throws Exception {
    TokenEmbedding table = table(V, D);
    table.freezeRows(new int[] {0, 5});
    table.saveChunkBytes = 4L * D * 4; // four rows per chunk: chunks of 4 and 2 rows
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    table.saveParameters(new DataOutputStream(bytes));

    Engine.getInstance().setRandomSeed(77);
    TokenEmbedding copy = TokenEmbedding.builder().setVocabSize(V).setEmbeddingDim(D).build();
    copy.loadParameters(
        manager, new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
    assertArrayEquals(
        table.table().getArray().toFloatArray(), copy.table().getArray().toFloatArray(), 0f);
    assertEquals(new Shape(V, D), copy.table().getArray().getShape(), "shape after the load");
    assertArrayEquals(new int[] {0, 5}, copy.frozenRows(), "frozen rows");

    TokenEmbedding wrong = TokenEmbedding.builder().setVocabSize(V + 1).setEmbeddingDim(D).build();
    MalformedModelException e =
        assertThrows(
            MalformedModelException.class,
            () ->
                wrong.loadParameters(
                    manager, new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()))));
    assertEquals("saved token table is 6x4, this model expects 7x4", e.getMessage());
  }

  @Test
  void anUnfilledTableLoadsBitIdenticalRowsThroughAFileChannel(@TempDir Path dir)
      throws Exception {
    TokenEmbedding table = table(V, D);
    table.freezeRows(new int[] {2});
    table.saveChunkBytes = 4L * D * 4; // chunks of 4 and 2 rows
    Path file = dir.resolve("table.params");
    try (FileChannel channel =
        FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      BulkDataOutput out = BulkDataOutput.over(channel, 16);
      table.saveParameters(out);
      out.flush();
    }
    TokenEmbedding copy = TokenEmbedding.builder().setVocabSize(V).setEmbeddingDim(D).build();
    copy.table().setInitializer(TokenEmbedding.UNFILLED);
    copy.initialize(manager, DataType.FLOAT32, new Shape(1, 1));
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      copy.loadParameters(manager, BulkDataInput.over(channel, 16));
    }
    assertArrayEquals(
        table.table().getArray().toFloatArray(), copy.table().getArray().toFloatArray(), 0f,
        "rows after the load");
    // Reading a chunk once rewrote the table's own shape to the chunk's: a resumed run then
    // found its optimizer state "(3000000, 128)" against a table of "(116416, 128)".
    assertEquals(new Shape(V, D), copy.table().getArray().getShape(), "shape after the load");
    assertArrayEquals(new int[] {2}, copy.frozenRows(), "frozen rows");
  }

  @Test
  void tablesSavedInTheEarlierEncodedChunkFormatStillLoad() throws Exception {
    TokenEmbedding table = table(V, D);
    table.freezeRows(new int[] {1, 4});
    table.saveChunkBytes = 4L * D * 4; // chunks of 4 and 2 rows
    ByteArrayOutputStream current = new ByteArrayOutputStream();
    table.saveParameters(new DataOutputStream(current));
    byte[] saved = current.toByteArray();
    // Version 2 is: version, metadata, int chunk count, then per chunk int rows, int pad (0 on a
    // plain stream) and rows × D floats.
    int metadataBytes = saved.length - 1 - 4 - (8 + 4 * D * 4) - (8 + 2 * D * 4);

    ByteArrayOutputStream earlier = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(earlier);
    out.writeByte(1);
    out.write(saved, 1, metadataBytes);
    out.writeInt(2);
    NDArray weight = table.table().getArray();
    for (int[] range : new int[][] {{0, 4}, {4, 6}}) {
      byte[] encoded = weight.get(range[0] + ":" + range[1]).encode();
      out.writeInt(encoded.length);
      out.write(encoded);
    }
    TokenEmbedding copy = TokenEmbedding.builder().setVocabSize(V).setEmbeddingDim(D).build();
    copy.loadParameters(
        manager, new DataInputStream(new ByteArrayInputStream(earlier.toByteArray())));
    assertArrayEquals(weight.toFloatArray(), copy.table().getArray().toFloatArray(), 0f,
        "rows after loading the version 1 layout");
    assertArrayEquals(new int[] {1, 4}, copy.frozenRows(), "frozen rows");
  }

  @Test
  void aChunkThatOverrunsTheTableIsRejected() throws Exception {
    TokenEmbedding table = table(V, D);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    table.saveParameters(new DataOutputStream(bytes));
    byte[] saved = bytes.toByteArray();
    // One chunk of all rows: its row count and pad (0) sit right before the V × D floats.
    ByteBuffer.wrap(saved).putInt(saved.length - V * D * 4 - 8, V + 1);
    TokenEmbedding copy = TokenEmbedding.builder().setVocabSize(V).setEmbeddingDim(D).build();
    MalformedModelException e =
        assertThrows(
            MalformedModelException.class,
            () ->
                copy.loadParameters(
                    manager, new DataInputStream(new ByteArrayInputStream(saved))));
    assertEquals(
        "token table chunk 0 holds 7 rows; after row 0 a chunk of 1..6 rows fits table (6, 4)",
        e.getMessage());
  }

  @Test
  void rejectsEmptySizesAndStartsWithNothingFrozen() {
    assertThrows(
        IllegalArgumentException.class,
        () -> TokenEmbedding.builder().setVocabSize(0).setEmbeddingDim(3).build());
    assertThrows(
        IllegalArgumentException.class,
        () -> TokenEmbedding.builder().setVocabSize(3).setEmbeddingDim(0).build());
    TokenEmbedding table = table(V, D);
    assertTrue(!table.isFrozen(2), "nothing frozen by default");
    assertEquals(0, table.frozenRowCount());
  }
}
