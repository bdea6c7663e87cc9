package dev.o2v.benchmarks;

import ai.djl.Device;
import ai.djl.pytorch.jni.JniUtils;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Counts the libtorch operations of o2v training steps with the engine's profiler: how many
 * native operations one step issues and which ones, to find per-step overhead.
 *
 * <p>Usage: {@code StepProfile [NETWORK] [STEPS]} (default {@code pooled_embedding}, 5) on the
 * small workload; prints operations per step by name.
 */
public final class StepProfile {

  private StepProfile() {}

  /** Entry point. */
  public static void main(String[] args) throws Exception {
    String network = args.length > 0 ? args[0] : "pooled_embedding";
    int steps = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    Workload w = Workload.topics("profile-" + network, network, 64, 64, 1000, 20, 64,
        new Workload.Steps(0, steps, 1));
    Path dir = Files.createTempDirectory("o2v-profile");
    Path trace = dir.resolve("trace.json");
    try {
      WorkloadData data = WorkloadData.generate(w, dir, 1);
      try (O2vRunner runner = new O2vRunner(w, data.dataset(), Device.cpu(), 1)) {
        runner.train(1); // warm-up, unprofiled
        JniUtils.startProfile(false, false, false);
        runner.train(2);
        JniUtils.stopProfile(trace.toString());
      }
      Map<String, Integer> counts = new TreeMap<>();
      int total = 0;
      JsonNode root = new ObjectMapper().readTree(trace.toFile());
      JsonNode events = root.isArray() ? root : root.path("traceEvents");
      for (JsonNode e : events) {
        if ("X".equals(e.path("ph").asText()) && e.path("name").asText().startsWith("aten::")) {
          counts.merge(e.path("name").asText(), 1, Integer::sum);
          total++;
        }
      }
      System.out.printf(Locale.ROOT, "%s: %.1f aten ops per step (incl. nested)%n", network,
          total / (double) steps);
      counts.entrySet().stream()
          .sorted((a, b) -> b.getValue() - a.getValue())
          .forEach(e -> System.out.printf(Locale.ROOT, "%8.1f  %s%n",
              e.getValue() / (double) steps, e.getKey()));
    } finally {
      try (var paths = Files.walk(dir)) {
        paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
