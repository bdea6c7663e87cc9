package dev.o2v.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The operator counts of one libtorch profiler trace (Chrome trace JSON): which operators were
 * called from outside any other operator, and how many operators ran in all.
 *
 * <p>An operator is top-level when no other complete event of the same thread encloses it in time.
 * A top-level {@code aten::} operator is one the Java side asked for (one JNI call, or one of the
 * few operators a fused JNI kernel such as the optimizer update calls in turn); a top-level {@code
 * autograd::engine::evaluate_function} event is one node of the backward pass. Operators nested
 * inside those are the engine's own work and cost no JNI crossing.
 *
 * @param issued top-level {@code aten::} operators by name
 * @param backwardNodes top-level backward-pass nodes
 * @param allAten every {@code aten::} operator, nested or not
 */
public record OpTrace(Map<String, Integer> issued, int backwardNodes, int allAten) {

  private static final String BACKWARD_PREFIX = "autograd::engine::evaluate_function";

  /** Defensive copy. */
  public OpTrace {
    issued = Collections.unmodifiableMap(new TreeMap<>(issued));
  }

  /** Reads a trace file written by the engine's profiler. */
  public static OpTrace read(Path trace) throws IOException {
    return of(new ObjectMapper().readTree(trace.toFile()));
  }

  /** Counts the complete ({@code "ph": "X"}) events of a parsed trace. */
  public static OpTrace of(JsonNode root) {
    JsonNode events = root.isArray() ? root : root.path("traceEvents");
    Map<String, List<JsonNode>> byThread = new HashMap<>();
    for (JsonNode e : events) {
      if ("X".equals(e.path("ph").asText())) {
        byThread.computeIfAbsent(e.path("tid").asText(), t -> new ArrayList<>()).add(e);
      }
    }
    Map<String, Integer> issued = new TreeMap<>();
    int backward = 0;
    int all = 0;
    for (List<JsonNode> thread : byThread.values()) {
      // Earlier start first; of two events starting together the longer one encloses the other.
      thread.sort(
          Comparator.<JsonNode>comparingDouble(e -> e.path("ts").asDouble())
              .thenComparing(e -> -e.path("dur").asDouble()));
      Deque<Double> openEnds = new ArrayDeque<>();
      for (JsonNode e : thread) {
        double start = e.path("ts").asDouble();
        while (!openEnds.isEmpty() && openEnds.peek() <= start) {
          openEnds.pop();
        }
        String name = e.path("name").asText();
        boolean aten = name.startsWith("aten::");
        if (aten) {
          all++;
        }
        if (openEnds.isEmpty()) {
          if (aten) {
            issued.merge(name, 1, Integer::sum);
          } else if (name.startsWith(BACKWARD_PREFIX)) {
            backward++;
          }
        }
        openEnds.push(start + e.path("dur").asDouble());
      }
    }
    return new OpTrace(issued, backward, all);
  }

  /** Top-level {@code aten::} operators in all. */
  public int issuedTotal() {
    return issued.values().stream().mapToInt(Integer::intValue).sum();
  }
}
