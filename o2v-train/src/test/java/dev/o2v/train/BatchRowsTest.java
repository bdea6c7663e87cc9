package dev.o2v.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.o2v.encoders.TokenEmbedding;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BatchRowsTest {

  private static final int WIDTH = 6;

  /** A side of a batch: padded ids (padding ids are random, never collected) and lengths. */
  private record Side(int[] ids, int[] lengths) {}

  private static Side randomSide(SplittableRandom random, int records, int vocab) {
    int[] ids = new int[records * WIDTH];
    int[] lengths = new int[records];
    for (int r = 0; r < records; r++) {
      lengths[r] = random.nextInt(WIDTH + 1);
      for (int p = 0; p < WIDTH; p++) {
        ids[r * WIDTH + p] = random.nextInt(vocab);
      }
    }
    return new Side(ids, lengths);
  }

  /** The rows, in first-seen order, that a plain map numbers for the sides' real tokens. */
  private static Map<Integer, Integer> expectedNumbering(List<Side> sides) {
    Map<Integer, Integer> local = new LinkedHashMap<>();
    for (Side side : sides) {
      for (int r = 0; r < side.lengths().length; r++) {
        for (int p = 0; p < side.lengths()[r]; p++) {
          local.putIfAbsent(side.ids()[r * WIDTH + p], local.size());
        }
      }
    }
    return local;
  }

  @Test
  void numbersRowsAsAPlainMapDoesAcrossBatchesAndGrowth() {
    int vocab = 3_000_000;
    BatchRows rows =
        new BatchRows(TokenEmbedding.builder().setVocabSize(vocab).setEmbeddingDim(2).build());
    SplittableRandom random = new SplittableRandom(7);
    // From a few rows to far more than the first hash table's capacity, and back.
    for (int records : new int[] {3, 400, 5_000, 12, 0, 2_000}) {
      List<Side> sides = List.of(
          randomSide(random, records, vocab), randomSide(random, records, vocab));
      rows.clear();
      for (Side side : sides) {
        rows.collect(side.ids(), side.lengths(), WIDTH);
      }
      rows.seal();
      Map<Integer, Integer> expected = expectedNumbering(sides);
      if (expected.isEmpty()) {
        assertEquals(1, rows.count(), "placeholder row");
        assertEquals(0, rows.trainableCount());
        assertArrayEquals(new long[] {0}, rows.tableRows());
        continue;
      }
      assertEquals(expected.size(), rows.count());
      assertEquals(expected.size(), rows.trainableCount());
      assertArrayEquals(
          expected.keySet().stream().mapToLong(Integer::longValue).toArray(), rows.tableRows());
      for (Side side : sides) {
        int[] local = rows.localIds(side.ids(), side.lengths(), WIDTH);
        long[] coordinates = rows.tokenCoordinates(side.ids(), side.lengths(), WIDTH);
        int n = coordinates.length / 2;
        int k = 0;
        for (int r = 0; r < side.lengths().length; r++) {
          for (int p = 0; p < WIDTH; p++) {
            int id = side.ids()[r * WIDTH + p];
            if (p < side.lengths()[r]) {
              assertEquals(expected.get(id), local[r * WIDTH + p]);
              assertEquals(r, coordinates[k]);
              assertEquals(expected.get(id).longValue(), coordinates[n + k]);
              k++;
            } else {
              assertEquals(0, local[r * WIDTH + p], "padding reads local row 0");
            }
          }
        }
        assertEquals(n, k);
      }
      for (int probe = 0; probe < 2_000; probe++) {
        int id = random.nextInt(vocab);
        assertEquals(expected.containsKey(id), rows.holds(id), "holds " + id);
      }
      for (int id : expected.keySet()) {
        assertTrue(rows.holds(id));
      }
    }
  }

  @Test
  void frozenRowsComeLastAndKeepTheirNumbersConsistent() {
    TokenEmbedding table = TokenEmbedding.builder().setVocabSize(50).setEmbeddingDim(2).build();
    table.freezeRows(new int[] {4, 9});
    BatchRows rows = new BatchRows(table);
    int[] ids = {4, 7, 9, 7, 2, 0};
    rows.collect(ids, new int[] {5}, ids.length);
    rows.seal();
    assertArrayEquals(new long[] {7, 2, 9, 4}, rows.tableRows());
    assertEquals(2, rows.trainableCount());
    assertArrayEquals(new int[] {3, 0, 2, 0, 1, 0}, rows.localIds(ids, new int[] {5}, ids.length));
    assertTrue(rows.holds(9));
    assertFalse(rows.holds(0), "a padding id is not read");

    rows.clear();
    int[] next = {9, 1};
    rows.collect(next, new int[] {2}, next.length);
    rows.seal();
    assertArrayEquals(new long[] {1, 9}, rows.tableRows());
    assertEquals(1, rows.trainableCount());
    assertFalse(rows.holds(7), "the previous batch's rows are forgotten");
    List<Integer> local = new ArrayList<>();
    for (int id : rows.localIds(next, new int[] {2}, next.length)) {
      local.add(id);
    }
    assertEquals(List.of(1, 0), local);
  }
}
