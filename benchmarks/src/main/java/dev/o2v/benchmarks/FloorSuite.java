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
 *
 * <p>Each workload runs in {@link #ROUNDS} rounds (one in a quick run), and each round measures
 * the rates and then times o2v's step, in this process. The floor takes the best rates of the
 * rounds and the step their median ({@link FloorResult}): one measurement of the memory rate read
 * anywhere from 46 to 99 GB/s here, which moved a floor taken from it as much as any change to
 * the step. The first round warms up as the throughput suite does; the later ones continue the
 * same training after {@link #LATER_WARMUP} steps.
 */
public final class FloorSuite {

  /** Batches whose distinct rows and lengths are averaged for a row_sparse step's cost. */
  private static final int SHAPE_BATCHES = 20;
  /** Rounds of rates and step per workload in a full run. */
  static final int ROUNDS = 3;
  /** Untimed steps before the timed windows of every round after the first. */
  static final int LATER_WARMUP = 10;

  private FloorSuite() {}

  /**
   * Runs the floor measurement of the workloads whose name {@code options.only()} matches. The
   * PyTorch reference's step comes from {@code throughput}'s row of the workload when present (the
   * reference is run here only when that row is missing).
   */
  public static List<FloorResult> run(HarnessOptions options, Device device, Path workDir,
      List<ThroughputSuite.Row> throughput) throws IOException, InterruptedException {
    System.out.println("floor: rounds of the machine's bandwidth and matmul rate through libtorch,"
        + " each followed by o2v's step");
    int rounds = options.quick() ? 1 : ROUNDS;
    List<FloorResult> results = new ArrayList<>();
    for (Workload w : workloads(options.quick())) {
      if (!options.only().matcher(w.name()).find()) {
        continue;
      }
      ThroughputSuite.Row row = throughput.stream()
          .filter(r -> r.workload().name().equals(w.name())).findFirst().orElse(null);
      Workload measured = row != null ? row.workload() : w;
      WorkloadData data = WorkloadData.generate(measured, workDir, options.seed());
      List<FloorRound> measuredRounds = new ArrayList<>();
      try (O2vRunner runner = new O2vRunner(measured, data.dataset(), device, options.seed())) {
        for (int round = 0; round < rounds; round++) {
          MachineRates rates = measureRates(device, options.quick());
          Workload.Steps steps = round == 0 ? measured.steps()
              : new Workload.Steps(LATER_WARMUP, measured.steps().perRepeat(),
                  measured.steps().repeats());
          double step = runner.train(options.seed() + round, steps).medianStepMillis();
          FloorRound done = new FloorRound(rates, step);
          measuredRounds.add(done);
          System.out.printf(Locale.ROOT, "  %-14s round %d: copy %.1f GB/s, add %.1f GB/s,"
                  + " matmul %.1f GFLOP/s; o2v step %.2f ms%n", measured.name(), round + 1,
              rates.copyBytesPerSecond() / 1e9, rates.addBytesPerSecond() / 1e9,
              rates.matmulFlopsPerSecond() / 1e9, step);
        }
      }
      double refStep = referenceStep(options, row, measured, data, workDir);
      FloorResult result = new FloorResult(measured.name(),
          cost(measured, data.dataset(), options.seed()), measuredRounds, refStep);
      System.out.printf(Locale.ROOT, "  %-14s floor %.2f ms (memory %.2f, compute %.2f; best rates"
              + " of the rounds), o2v step %.2f ms (median) = %.1f× floor%n", measured.name(),
          result.floorMillis(), result.memoryMillis(), result.computeMillis(),
          result.o2vStepMillis(), result.o2vMultiple());
      results.add(result);
    }
    return results;
  }

  private static MachineRates measureRates(Device device, boolean quick) {
    return MachineRates.measure(device, quick ? 16L << 20 : 64L << 20, quick ? 1024 : 2048,
        quick ? 3 : 7);
  }

  /**
   * The reference's median step: from the throughput suite's row when it has one, else run here
   * when the options ask for the reference; NaN otherwise.
   */
  private static double referenceStep(HarnessOptions options, ThroughputSuite.Row row,
      Workload measured, WorkloadData data, Path workDir)
      throws IOException, InterruptedException {
    if (row != null) {
      return row.reference() != null && row.reference().train().stepMillis().length > 0
          ? row.reference().train().medianStepMillis() : Double.NaN;
    }
    if (!options.withReference()) {
      return Double.NaN;
    }
    Map<String, ReferenceRunner.Result> referenceResults = new LinkedHashMap<>();
    ReferenceRunner.of(options).run(
        List.of(new ReferenceRunner.Job(measured, data.jsonl(), true, false, options.seed())),
        workDir, referenceResults);
    ReferenceRunner.Result r = referenceResults.get(measured.name());
    return r != null && r.train().stepMillis().length > 0
        ? r.train().medianStepMillis() : Double.NaN;
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
