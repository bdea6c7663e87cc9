package dev.o2v.core.prepare;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** How often each token occurs, the input of a frequency-ranked vocabulary. */
public final class TokenCounts {

  private final Map<String, long[]> counts = new HashMap<>();

  /** Counts every token of {@code tokens}. */
  public void addAll(List<String> tokens) {
    for (String token : tokens) {
      counts.computeIfAbsent(token, t -> new long[1])[0]++;
    }
  }

  /** The count of {@code token}, 0 when unseen. */
  public long count(String token) {
    long[] c = counts.get(token);
    return c == null ? 0 : c[0];
  }

  /** Number of distinct tokens. */
  public int distinct() {
    return counts.size();
  }

  /**
   * The tokens seen at least {@code minCount} times, most frequent first; equal counts in
   * {@link String#compareTo} order (UTF-16 code units), so the ranking never depends on input
   * order.
   */
  public List<String> ranked(long minCount) {
    List<String> tokens = new ArrayList<>();
    for (Map.Entry<String, long[]> e : counts.entrySet()) {
      if (e.getValue()[0] >= minCount) {
        tokens.add(e.getKey());
      }
    }
    tokens.sort(
        Comparator.comparingLong((String t) -> -counts.get(t)[0])
            .thenComparing(Comparator.naturalOrder()));
    return tokens;
  }
}
