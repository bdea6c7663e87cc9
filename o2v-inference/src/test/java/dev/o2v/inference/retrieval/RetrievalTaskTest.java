package dev.o2v.inference.retrieval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.o2v.core.data.DataFormatException;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetrievalTaskTest {

  private final SequenceLineReader reader = new SequenceLineReader(50, 50);

  private SequenceLine line(String json, long number) {
    return reader.parse(json, "pairs.jsonl", number);
  }

  @Test
  void pairsShareOneCorpusItemPerDistinctIn1AfterTruncation() {
    List<SequenceLine> lines = List.of(
        line("{\"in0\":[1],\"in1\":[5,6,7]}", 1),
        line("{\"in0\":[2],\"in1\":[8]}", 2),
        line("{\"in0\":[3],\"in1\":[5,6,9]}", 3), // same as line 1 once cut to 2 ids
        line("{\"in0\":[1],\"in1\":[8],\"label\":0}", 4));

    RetrievalTask task = RetrievalTask.fromPairs(lines, 2);

    assertEquals(4, task.queries().size(), "every line stays a query");
    assertEquals(2, task.corpus().size(), "distinct in1 after truncation to 2");
    assertArrayEquals(new int[] {0, 1, 0, 1}, task.match());
    assertArrayEquals(new int[] {5, 6, 7}, task.corpus().get(0), "first occurrence kept whole");
  }

  @Test
  void queriesNameTheirMatchByCorpusPosition() {
    List<SequenceLine> corpus = List.of(line("{\"in1\":[4]}", 1), line("{\"in1\":[4]}", 2));
    List<SequenceLine> queries = List.of(line("{\"in0\":[1],\"match\":1}", 1));

    RetrievalTask task = RetrievalTask.fromQueriesAndCorpus(queries, corpus);

    assertEquals(2, task.corpus().size(), "a given corpus is not deduplicated");
    assertArrayEquals(new int[] {1}, task.match());
  }

  @Test
  void aMatchPastTheCorpusNamesTheLine() {
    List<SequenceLine> corpus = List.of(line("{\"in1\":[4]}", 1));
    List<SequenceLine> queries = List.of(line("{\"in0\":[1],\"match\":3}", 7));

    DataFormatException e = assertThrows(DataFormatException.class,
        () -> RetrievalTask.fromQueriesAndCorpus(queries, corpus));
    assertEquals(7, e.line());
    assertEquals("match 3 is past the corpus of 1 lines", e.reason());
  }

  @Test
  void anIdOutsideTheVocabularyNamesTheFieldAndPosition() {
    DataFormatException e = assertThrows(DataFormatException.class,
        () -> line("{\"in0\":[1,50]}", 9));
    assertEquals("in0[1] = 50 is not an id in the vocabulary [0, 50)", e.reason());
  }
}
