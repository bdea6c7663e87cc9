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
 * native operations one step issues, which ones and how long they take, to find per-step overhead.
 *
 * <p>Usage: {@code StepProfile [NETWORK] [STEPS] [infer]} (default {@code pooled_embedding}, 5;
 * {@code infer} profiles scoring batches instead of training steps). NETWORK is an encoder at the
 * small size, {@code sagemaker-pooled}, {@code sagemaker-hcnn} or {@code sagemaker-bilstm} for
 * that encoder at SageMaker's default sizes, {@code sentence-hcnn} for hcnn at a sentence task's
 * size (the throughput suite's workloads), {@code movielens} / {@code movielens-sparse} for the
 * MovieLens-shaped regression with dense / row_sparse tables, or {@code doc-embedding} for AWS's
 * document-embedding job. Prints, per step and by name, the operations and their time; times
 * include nested operations, so a parent and its children both count the children's time.
 */
public final class StepProfile {

  private StepProfile() {}

  /** Entry point. */
  public static void main(String[] args) throws Exception {
    String network = args.length > 0 ? args[0] : "pooled_embedding";
    int steps = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    boolean inference = args.length > 2 && args[2].equals("infer");
    Workload.Steps plan = new Workload.Steps(0, steps, 1);
    Workload w = switch (network) {
      case "sagemaker-pooled", "sagemaker-hcnn", "sagemaker-bilstm" -> {
        String encoder = network.equals("sagemaker-pooled")
            ? "pooled_embedding" : network.substring("sagemaker-".length());
        yield Workload.topics("profile-" + network, encoder, 4096, 300, 10_000, 40, 32, plan);
      }
      case "sentence-hcnn" ->
          Workload.topics("profile-" + network, "hcnn", 512, 128, 2500, 40, 64, plan);
      case "movielens" -> Workload.movieLens(plan);
      case "doc-embedding" -> Workload.documentEmbedding(plan);
      case "movielens-sparse" -> {
        Workload dense = Workload.movieLens(plan);
        yield dense.with("movielens-sparse", dense.batch(), dense.maxLen(), dense.vocab(), true);
      }
      default -> Workload.topics("profile-" + network, network, 64, 64, 1000, 20, 64, plan);
    };
    Path dir = Files.createTempDirectory("o2v-profile");
    Path trace = dir.resolve("trace.json");
    try {
      WorkloadData data = WorkloadData.generate(w, dir, 1);
      try (O2vRunner runner = new O2vRunner(w, data.dataset(), Device.cpu(), 1)) {
        Runnable step = inference ? runner::infer : () -> runner.train(2);
        step.run(); // warm-up, unprofiled
        JniUtils.startProfile(false, false, false);
        long start = System.nanoTime();
        step.run();
        double stepMillis = (System.nanoTime() - start) / 1e6 / steps;
        JniUtils.stopProfile(trace.toString());
        System.out.printf(Locale.ROOT, "%s: %.1f ms per step (profiled)%n", network, stepMillis);
      }
      Map<String, Integer> counts = new TreeMap<>();
      Map<String, Double> micros = new TreeMap<>();
      int total = 0;
      JsonNode root = new ObjectMapper().readTree(trace.toFile());
      JsonNode events = root.isArray() ? root : root.path("traceEvents");
      for (JsonNode e : events) {
        if ("X".equals(e.path("ph").asText()) && e.path("name").asText().startsWith("aten::")) {
          counts.merge(e.path("name").asText(), 1, Integer::sum);
          micros.merge(e.path("name").asText(), e.path("dur").asDouble(), Double::sum);
          total++;
        }
      }
      System.out.printf(Locale.ROOT, "%s: %.1f aten ops per step (incl. nested)%n", network,
          total / (double) steps);
      counts.entrySet().stream()
          .sorted((a, b) -> Double.compare(micros.get(b.getKey()), micros.get(a.getKey())))
          .forEach(e -> System.out.printf(Locale.ROOT, "%8.1f ops %9.2f ms  %s%n",
              e.getValue() / (double) steps, micros.get(e.getKey()) / 1e3 / steps, e.getKey()));
    } finally {
      FileTrees.delete(dir);
    }
  }
}
