package dev.o2v.benchmarks.soak;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a soak measured.
 *
 * @param seconds how long the clients ran
 * @param byStatus request count per response status ({@code -1}: no answer)
 * @param byKind request count per kind and status, e.g. {@code SLOW 200}
 * @param abandoned requests deliberately cut off half-way (no answer expected)
 * @param unexpected answers of the wrong class: a valid request not 200, an invalid one not 4xx
 * @param pingMillis latency of every answered {@code /ping}, in milliseconds
 * @param pingFailures pings that got no 200
 * @param memory heap (after a GC) and RSS samples, in order
 */
public record SoakReport(
    double seconds,
    Map<Integer, Long> byStatus,
    Map<String, Long> byKind,
    long abandoned,
    long unexpected,
    double[] pingMillis,
    long pingFailures,
    List<MemorySample> memory) {

  /**
   * One memory sample.
   *
   * @param atSeconds seconds since the soak started
   * @param heapUsedBytes heap in use right after a requested GC
   * @param rssBytes resident set size from {@code /proc/self/status}, or -1 when unavailable
   */
  public record MemorySample(double atSeconds, long heapUsedBytes, long rssBytes) {}

  /** Requests answered with a 5xx status. */
  public long serverErrors() {
    return byStatus.entrySet().stream()
        .filter(e -> e.getKey() >= 500).mapToLong(Map.Entry::getValue).sum();
  }

  /** Requests (not deliberately abandoned) that got no answer at all. */
  public long unanswered() {
    return byStatus.getOrDefault(RawHttp.NO_ANSWER, 0L);
  }

  /** Requests sent, abandoned ones included. */
  public long requests() {
    return byStatus.values().stream().mapToLong(Long::longValue).sum() + abandoned;
  }

  /** No 5xx, every request answered, every ping answered. */
  public boolean passed() {
    return serverErrors() == 0 && unanswered() == 0 && pingFailures == 0;
  }

  /** The {@code q} quantile of the ping latencies in ms (0 when there were none). */
  public double pingQuantile(double q) {
    if (pingMillis.length == 0) {
      return 0;
    }
    double[] sorted = pingMillis.clone();
    Arrays.sort(sorted);
    return sorted[(int) Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  }

  /** Prints the report, ending in a PASS or FAIL line. */
  public void print(PrintStream out) {
    out.printf(Locale.ROOT, "soak: %.0f s, %d requests (%.1f/s), %d abandoned on purpose%n",
        seconds, requests(), requests() / seconds, abandoned);
    out.println("requests by status: " + byStatus);
    out.println("requests by kind and status: " + byKind);
    out.printf(Locale.ROOT, "wrong-class answers: %d, 5xx: %d, unanswered: %d%n",
        unexpected, serverErrors(), unanswered());
    out.printf(Locale.ROOT,
        "/ping: %d answered, %d failed, p50 %.2f ms, p99 %.2f ms, max %.2f ms%n",
        pingMillis.length, pingFailures, pingQuantile(0.5), pingQuantile(0.99), pingQuantile(1.0));
    for (MemorySample m : memory) {
      out.printf(Locale.ROOT, "memory at %5.0f s: heap after GC %.1f MiB, RSS %.1f MiB%n",
          m.atSeconds(), m.heapUsedBytes() / 1048576.0, m.rssBytes() / 1048576.0);
    }
    if (memory.size() >= 2) {
      MemorySample first = memory.get(0);
      MemorySample last = memory.get(memory.size() - 1);
      out.printf(Locale.ROOT, "memory first -> last: heap %.1f -> %.1f MiB, RSS %.1f -> %.1f MiB%n",
          first.heapUsedBytes() / 1048576.0, last.heapUsedBytes() / 1048576.0,
          first.rssBytes() / 1048576.0, last.rssBytes() / 1048576.0);
    }
    out.println(passed() ? "PASS" : "FAIL");
  }
}
