package dev.o2v.benchmarks;

import ai.djl.Device;
import dev.o2v.core.batch.Batch;
import dev.o2v.core.batch.BatchAssembler;
import dev.o2v.core.batch.BatchPlanner;
import dev.o2v.core.batch.EpochPlan;
import dev.o2v.core.data.PairDataset;
import dev.o2v.core.hp.Hyperparameters;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Measures the machine's rates and sets the MovieLens-shaped step (dense tables) and the
 * document-embedding step (row_sparse tables) against them.
 */
public final class FloorSuite {

  /** Batches whose distinct rows and lengths are averaged for a row_sparse step's cost. */
  private static final int SHAPE_BATCHES = 20;

  private FloorSuite() {}

  /**
   * Runs the floor measurement, reusing the rows of {@code throughput} when present.
   */
  public static List<FloorResult> run(HarnessOptions options, Device device, Path workDir,
      List<ThroughputSuite.Row> throughput) throws IOException, InterruptedException {
    System.out.println("floor: measuring bandwidth and matmul rate through libtorch");
    MachineRates rates =
        MachineRates.measure(device, options.quick() ? 16L << 20 : 64L << 20,
            options.quick() ? 1024 : 2048, options.quick() ? 3 : 7);
    System.out.printf(Locale.ROOT, "  copy %.1f GB/s, add %.1f GB/s, matmul %.1f GFLOP/s%n",
        rates.copyBytesPerSecond() / 1e9, rates.addBytesPerSecond() / 1e9,
        rates.matmulFlopsPerSecond() / 1e9);
    List<FloorResult> results = new ArrayList<>();
    for (Workload w : workloads(options.quick())) {
      ThroughputSuite.Row row = throughput.stream()
          .filter(r -> r.workload().name().equals(w.name())).findFirst().orElse(null);
      Workload measured = row != null ? row.workload() : w;
      WorkloadData data = WorkloadData.generate(measured, workDir, options.seed());
      double o2vStep;
      double refStep = Double.NaN;
      if (row != null) {
        o2vStep = row.o2vTrain().medianStepMillis();
        if (row.reference() != null && row.reference().train().stepMillis().length > 0) {
          refStep = row.reference().train().medianStepMillis();
        }
      } else {
        try (O2vRunner runner = new O2vRunner(measured, data.dataset(), device, options.seed())) {
          o2vStep = runner.train(options.seed()).medianStepMillis();
        }
        if (options.withReference()) {
          Map<String, ReferenceRunner.Result> referenceResults = new LinkedHashMap<>();
          ReferenceRunner.of(options).run(
              List.of(new ReferenceRunner.Job(measured, data.jsonl(), true, false,
                  options.seed())), workDir, referenceResults);
          ReferenceRunner.Result r = referenceResults.get(measured.name());
          if (r != null && r.train().stepMillis().length > 0) {
            refStep = r.train().medianStepMillis();
          }
        }
      }
      FloorResult result = new FloorResult(measured.name(),
          cost(measured, data.dataset(), options.seed()), rates, o2vStep, refStep);
      System.out.printf(Locale.ROOT, "  %-14s floor %.2f ms (memory %.2f, compute %.2f), o2v step"
              + " %.2f ms = %.1f× floor%n", measured.name(), result.floorMillis(),
          result.memoryMillis(), result.computeMillis(), o2vStep, result.o2vMultiple());
      results.add(result);
    }
    return results;
  }

  /** The MovieLens-shaped regression and the document-embedding job. */
  private static List<Workload> workloads(boolean quick) {
    List<Workload> list = new ArrayList<>();
    for (Workload w : ThroughputSuite.workloads(quick)) {
      if (w.movieLens() || w.data() == Workload.DataKind.ZIPF_DOCUMENTS) {
        list.add(w);
      }
    }
    return list;
  }

  /**
   * The least work of one step: dense tables move every row; row_sparse tables the distinct rows
   * of a batch, averaged with the batch's lengths over the first batches of an epoch.
   */
  private static StepCost cost(Workload w, PairDataset data, long seed) {
    Hyperparameters hp = w.hyperparameters();
    if (!w.sparse()) {
      return StepCost.of(hp, w.batch(), 1, 1);
    }
    EpochPlan plan = BatchPlanner.forTraining(data, hp, seed).plan(0);
    BatchAssembler assembler = new BatchAssembler(data);
    int batches = Math.min(SHAPE_BATCHES, plan.batchCount());
    long tokens0 = 0;
    long tokens1 = 0;
    long records = 0;
    long rows = 0;
    for (int b = 0; b < batches; b++) {
      Batch batch = assembler.assemble(plan, b);
      BitSet[] seen = {new BitSet(), new BitSet()};
      for (int side = 0; side < 2; side++) {
        BitSet into = seen[hp.tiedTokenEmbedding() ? 0 : side];
        int width = batch.maxLength(side);
        for (int r = 0; r < batch.size(); r++) {
          for (int p = 0; p < batch.lengths(side)[r]; p++) {
            into.set(batch.ids(side)[r * width + p]);
          }
          if (side == 0) {
            tokens0 += batch.lengths(0)[r];
          } else {
            tokens1 += batch.lengths(1)[r];
          }
        }
      }
      records += batch.size();
      rows += seen[0].cardinality() + seen[1].cardinality();
    }
    return StepCost.ofRowSparse(hp, w.batch(), (int) Math.round((double) tokens0 / records),
        (int) Math.round((double) tokens1 / records), Math.round((double) rows / batches));
  }
}
