package dev.o2v.benchmarks;

import ai.djl.Device;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Measures the machine's rates and sets the MovieLens-shaped step time against them. */
public final class FloorSuite {

  private FloorSuite() {}

  /**
   * Runs the floor measurement, reusing the MovieLens row of {@code throughput} when present.
   */
  public static FloorResult run(HarnessOptions options, Device device, Path workDir,
      List<ThroughputSuite.Row> throughput) throws IOException, InterruptedException {
    System.out.println("floor: measuring bandwidth and matmul rate through libtorch");
    MachineRates rates =
        MachineRates.measure(device, options.quick() ? 16L << 20 : 64L << 20,
            options.quick() ? 1024 : 2048, options.quick() ? 3 : 7);
    System.out.printf(Locale.ROOT, "  copy %.1f GB/s, add %.1f GB/s, matmul %.1f GFLOP/s%n",
        rates.copyBytesPerSecond() / 1e9, rates.addBytesPerSecond() / 1e9,
        rates.matmulFlopsPerSecond() / 1e9);
    ThroughputSuite.Row row = throughput.stream()
        .filter(r -> r.workload().movieLens()).findFirst().orElse(null);
    Workload w = row != null ? row.workload()
        : Workload.movieLens(options.quick() ? new Workload.Steps(3, 10, 2).warmingUpFor(3)
            : new Workload.Steps(10, 30, 5).warmingUpFor(15));
    double o2vStep;
    double refStep = Double.NaN;
    if (row != null) {
      o2vStep = row.o2vTrain().medianStepMillis();
      if (row.reference() != null && row.reference().train().stepMillis().length > 0) {
        refStep = row.reference().train().medianStepMillis();
      }
    } else {
      WorkloadData data = WorkloadData.generate(w, workDir, options.seed());
      try (O2vRunner runner = new O2vRunner(w, data.dataset(), device, options.seed())) {
        o2vStep = runner.train(options.seed()).medianStepMillis();
      }
      if (options.withReference()) {
        Map<String, ReferenceRunner.Result> results = new LinkedHashMap<>();
        ReferenceRunner.of(options).run(
            List.of(new ReferenceRunner.Job(w, data.jsonl(), true, false, options.seed())),
            workDir, results);
        ReferenceRunner.Result r = results.get(w.name());
        if (r != null && r.train().stepMillis().length > 0) {
          refStep = r.train().medianStepMillis();
        }
      }
    }
    StepCost cost = StepCost.of(w.hyperparameters(), w.batch(), 1, 1);
    return new FloorResult(cost, rates, o2vStep, refStep);
  }
}
