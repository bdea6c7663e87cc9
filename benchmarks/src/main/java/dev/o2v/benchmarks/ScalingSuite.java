package dev.o2v.benchmarks;

import ai.djl.Device;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Training step time against batch size, sequence length and vocabulary size, for o2v and the
 * PyTorch reference. Batch and length curves use every encoder at the small size (enc_dim 64,
 * token dim 64); the vocabulary curve uses pooled_embedding with dense and with row_sparse
 * updates.
 */
public final class ScalingSuite {

  /**
   * One point of a curve.
   *
   * @param curve {@code batch}, {@code length} or {@code vocab}
   * @param series the line it belongs to, e.g. {@code o2v hcnn} or {@code pytorch hcnn}
   * @param x the varied quantity
   * @param stepMillis median training step time
   * @param recordsPerSecond median training records/s
   */
  public record Point(String curve, String series, long x, double stepMillis,
      double recordsPerSecond) {}

  private ScalingSuite() {}

  /** Runs the three curves. */
  public static List<Point> run(HarnessOptions options, Device device, Path workDir)
      throws IOException, InterruptedException {
    boolean quick = options.quick();
    Workload.Steps steps = quick ? new Workload.Steps(1, 2, 2).warmingUpFor(1)
        : new Workload.Steps(3, 5, 3).warmingUpFor(4);
    List<Point> points = new ArrayList<>();
    int[] batches = quick ? new int[] {16, 64, 256} : new int[] {16, 32, 64, 128, 256, 512};
    int[] lengths = quick ? new int[] {5, 20, 80} : new int[] {5, 10, 20, 40, 80, 160};
    int[] vocabs = quick ? new int[] {1_000, 100_000} : new int[] {1_000, 10_000, 100_000,
        1_000_000};
    for (String network : List.of("pooled_embedding", "hcnn", "bilstm")) {
      Workload base = Workload.topics("scale", network, 64, 64, 1000, 20, 64, steps);
      List<Workload> byBatch = new ArrayList<>();
      for (int b : batches) {
        byBatch.add(base.with("batch-" + network + "-" + b, b, 20, 1000, false));
      }
      curve("batch", network, byBatch, w -> w.batch(), options, device, workDir, points);
      List<Workload> byLength = new ArrayList<>();
      for (int t : lengths) {
        byLength.add(base.with("length-" + network + "-" + t, 64, t, 1000, false));
      }
      curve("length", network, byLength, w -> w.maxLen(), options, device, workDir, points);
    }
    Workload pooled = Workload.topics("scale", "pooled_embedding", 64, 64, 1000, 20, 64, steps);
    for (boolean sparse : new boolean[] {false, true}) {
      String storage = sparse ? "row_sparse" : "dense";
      List<Workload> byVocab = new ArrayList<>();
      for (int v : vocabs) {
        byVocab.add(pooled.with("vocab-" + (sparse ? "sparse" : "dense") + "-" + v, 64, 20, v,
            sparse));
      }
      curve("vocab", "pooled_embedding " + storage, byVocab, w -> w.vocab(), options, device,
          workDir, points);
    }
    return points;
  }

  private interface Axis {
    long of(Workload w);
  }

  private static void curve(String curve, String label, List<Workload> workloads, Axis axis,
      HarnessOptions options, Device device, Path workDir, List<Point> points)
      throws IOException, InterruptedException {
    List<ReferenceRunner.Job> jobs = new ArrayList<>();
    for (Workload w : workloads) {
      if (!options.only().matcher(w.name()).find()) {
        continue;
      }
      WorkloadData data = WorkloadData.generate(w, workDir, options.seed());
      try (O2vRunner runner = new O2vRunner(w, data.dataset(), device, options.seed())) {
        Rate rate = runner.train(options.seed());
        points.add(new Point(curve, "o2v " + label, axis.of(w), rate.medianStepMillis(),
            rate.median()));
        System.out.printf(Locale.ROOT, "  o2v       %-28s step %9.2f ms%n", w.name(),
            rate.medianStepMillis());
      }
      jobs.add(new ReferenceRunner.Job(w, data.jsonl(), true, false, options.seed()));
    }
    if (!options.withReference() || jobs.isEmpty()) {
      return;
    }
    Map<String, ReferenceRunner.Result> results = new LinkedHashMap<>();
    ReferenceRunner.of(options)
        .run(jobs, workDir, results);
    for (ReferenceRunner.Job job : jobs) {
      ReferenceRunner.Result r = results.get(job.workload().name());
      if (r != null && r.train().stepMillis().length > 0) {
        points.add(new Point(curve, "pytorch " + label, axis.of(job.workload()),
            r.train().medianStepMillis(), r.train().median()));
      }
    }
  }
}
