package dev.o2v.inference.retrieval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.o2v.core.data.DataFormatException;
import dev.o2v.inference.InferenceResult;
import dev.o2v.inference.ResultWriter;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NearestNeighborIndexTest {

  @TempDir Path dir;

  private static List<float[]> gaussianRows(int count, int width, SplittableRandom rng) {
    List<float[]> rows = new ArrayList<>();
    for (int r = 0; r < count; r++) {
      float[] row = new float[width];
      for (int i = 0; i < width; i++) {
        row[i] = (float) rng.nextGaussian();
      }
      rows.add(row);
    }
    return rows;
  }

  @Test
  void exactSearchFindsTheMostSimilarRowsAndSkipsTheQueryItself() {
    UnitVectors items = UnitVectors.of(List.of(new float[] {1, 0}, new float[] {0.9f, 0.1f},
        new float[] {0, 1}, new float[] {-1, 0}, new float[] {0.9f, 0.1f}), 2);

    List<Neighbor> found = new ExactNeighbors(items, 1).search(items.row(0), 3, 0);

    assertEquals(List.of(1, 4, 2), found.stream().map(Neighbor::row).toList(),
        "equal cosines keep the smaller row first: " + found);
    assertEquals(0.99388, found.get(0).cosine(), 1e-4);
  }

  @Test
  void hnswFindsNearlyAllExactNeighboursAndReopensWithoutRebuilding() throws Exception {
    SplittableRandom rng = new SplittableRandom(21);
    int width = 24;
    UnitVectors items = UnitVectors.of(gaussianRows(3000, width, rng), width);
    ExactNeighbors exact = new ExactNeighbors(items, 2);
    Path indexDir = dir.resolve("items.npy.hnsw");
    List<float[]> queries = gaussianRows(100, width, rng);
    int found = 0;
    List<List<Neighbor>> first = new ArrayList<>();
    try (HnswIndex index = HnswIndex.build(items, indexDir, 16, 100,
        JsonNodeFactory.instance.objectNode().put("test", true), done -> { })) {
      assertEquals(3000, index.count());
      for (float[] q : queries) {
        float[] unit = UnitVectors.of(List.of(q), width).row(0);
        List<Neighbor> approximate = index.search(unit, 10, 100, -1);
        first.add(approximate);
        List<Integer> truth = exact.search(unit, 10, -1).stream().map(Neighbor::row).toList();
        found += (int) approximate.stream().filter(n -> truth.contains(n.row())).count();
        assertEquals(items.cosine(approximate.get(0).row(),
            UnitVectors.of(List.of(q), width), 0), approximate.get(0).cosine(), 1e-5,
            "cosine recovered from Lucene's score");
      }
    }
    double recall = found / (100.0 * 10);
    assertTrue(recall >= 0.9, "recall@10 of the index against exact search: " + recall);

    try (HnswIndex reopened = HnswIndex.open(indexDir)) {
      assertEquals(3000, reopened.description().get("rows").asInt());
      float[] unit = UnitVectors.of(List.of(queries.get(0)), width).row(0);
      assertEquals(first.get(0), reopened.search(unit, 10, 100, -1));
    }
  }

  @Test
  void hnswAcceptsEmbeddingsWiderThanLucenesDefaultLimit() throws Exception {
    SplittableRandom rng = new SplittableRandom(2);
    UnitVectors items = UnitVectors.of(gaussianRows(40, 2048, rng), 2048);
    try (HnswIndex index = HnswIndex.build(items, dir.resolve("wide"), 16, 100,
        JsonNodeFactory.instance.objectNode(), done -> { })) {
      List<Neighbor> found = index.search(items.row(7), 3, 40, 7);
      assertEquals(3, found.size());
      assertTrue(found.stream().noneMatch(n -> n.row() == 7), "the skipped row: " + found);
    }
  }

  @Test
  void anNpyFileWrittenByEmbedReadsBackAsUnitRows() throws Exception {
    Path file = dir.resolve("e.npy");
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW,
            StandardOpenOption.WRITE);
        ResultWriter writer = ResultWriter.npy(channel, 3)) {
      writer.write(InferenceResult.ofEmbeddings(new float[] {3, 0, 4}));
      writer.write(InferenceResult.ofEmbeddings(new float[] {0, -2, 0}));
      writer.finish();
    }

    UnitVectors read = NpyMatrix.read(file);

    assertEquals(2, read.count());
    assertArrayEquals(new float[] {0.6f, 0, 0.8f}, read.row(0), 1e-6f);
    assertArrayEquals(new float[] {0, -1, 0}, read.row(1), 1e-6f);
  }

  @Test
  void anNpyFileOfAnotherTypeIsRefusedNamingTheType() throws Exception {
    Path file = dir.resolve("ints.npy");
    String dict = "{'descr': '<i8', 'fortran_order': False, 'shape': (1, 2), }";
    StringBuilder header = new StringBuilder(dict);
    while ((10 + header.length() + 1) % 64 != 0) {
      header.append(' ');
    }
    header.append('\n');
    byte[] bytes = new byte[10 + header.length() + 16];
    bytes[0] = (byte) 0x93;
    System.arraycopy("NUMPY".getBytes(), 0, bytes, 1, 5);
    bytes[6] = 1;
    bytes[8] = (byte) header.length();
    System.arraycopy(header.toString().getBytes(), 0, bytes, 10, header.length());
    Files.write(file, bytes);

    DataFormatException e = assertThrows(DataFormatException.class, () -> NpyMatrix.read(file));
    assertEquals("the array must be little-endian float32 ('<f4'), found '<i8'", e.reason());
  }
}
