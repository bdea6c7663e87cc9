package dev.o2v.inference.retrieval;

import dev.o2v.core.data.DataFormatException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Queries (sequences for encoder 0), a corpus (sequences for encoder 1) and, for each query, the
 * corpus position of its true match.
 *
 * @param queries {@code in0} of each query
 * @param corpus {@code in1} of each corpus item
 * @param match for query {@code q}, the position of its true match in {@code corpus}
 */
public record RetrievalTask(List<int[]> queries, List<int[]> corpus, int[] match) {

  /**
   * The task of a pairs file: each line's {@code in0} is a query and its {@code in1} the true
   * match; the corpus is every distinct {@code in1}. Lines whose {@code in1} are identical after
   * truncation to {@code corpusMaxLen} (so the encoder sees the same input) share one corpus
   * item, kept at its first occurrence; every line stays a query of its own.
   *
   * @throws DataFormatException for a line without both sides
   */
  public static RetrievalTask fromPairs(List<SequenceLine> lines, int corpusMaxLen) {
    List<int[]> queries = new ArrayList<>(lines.size());
    List<int[]> corpus = new ArrayList<>();
    Map<IdsKey, Integer> positions = new HashMap<>();
    int[] match = new int[lines.size()];
    for (int i = 0; i < lines.size(); i++) {
      SequenceLine line = lines.get(i);
      if (line.in0() == null || line.in1() == null) {
        throw new DataFormatException(line.source(), line.line(),
            "a retrieval pair needs in0 (the query) and in1 (its true match)");
      }
      queries.add(line.in0());
      int[] kept = Arrays.copyOf(line.in1(), Math.min(line.in1().length, corpusMaxLen));
      Integer position = positions.putIfAbsent(new IdsKey(kept), corpus.size());
      if (position == null) {
        position = corpus.size();
        corpus.add(line.in1());
      }
      match[i] = position;
    }
    return new RetrievalTask(queries, corpus, match);
  }

  /**
   * The task of separate files: each query line has {@code in0} and {@code match}, the 0-based
   * position of its true match among the corpus lines (blank lines not counted); each corpus line
   * has {@code in1}. The corpus is taken as given, duplicates included.
   *
   * @throws DataFormatException for a line missing a field or a match past the corpus
   */
  public static RetrievalTask fromQueriesAndCorpus(
      List<SequenceLine> queryLines, List<SequenceLine> corpusLines) {
    List<int[]> corpus = new ArrayList<>(corpusLines.size());
    for (SequenceLine line : corpusLines) {
      if (line.in1() == null) {
        throw new DataFormatException(line.source(), line.line(),
            "a corpus line needs in1 (the sequence encoder 1 embeds)");
      }
      corpus.add(line.in1());
    }
    List<int[]> queries = new ArrayList<>(queryLines.size());
    int[] match = new int[queryLines.size()];
    for (int i = 0; i < queryLines.size(); i++) {
      SequenceLine line = queryLines.get(i);
      if (line.in0() == null) {
        throw new DataFormatException(line.source(), line.line(),
            "a query line needs in0 (the sequence encoder 0 embeds)");
      }
      if (line.match() < 0 || line.match() >= corpus.size()) {
        throw new DataFormatException(line.source(), line.line(), line.match() < 0
            ? "a query line needs match, the 0-based position of its true match in the corpus"
            : "match " + line.match() + " is past the corpus of " + corpus.size() + " lines");
      }
      queries.add(line.in0());
      match[i] = line.match();
    }
    return new RetrievalTask(queries, corpus, match);
  }

  /** Value equality of an id sequence, as a map key. */
  private record IdsKey(int[] ids) {
    @Override
    public boolean equals(Object o) {
      return o instanceof IdsKey k && Arrays.equals(ids, k.ids);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(ids);
    }
  }
}
