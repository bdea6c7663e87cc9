package dev.o2v.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Everything one harness run measured, written as {@code results.json} (machine-readable) and
 * {@code results.md} (tables for people).
 *
 * @param machine where it ran
 * @param loadAverageEnd load average when the run finished
 * @param device {@code cpu} or {@code gpu}
 * @param quick whether this was a smoke run with few steps
 * @param libtorchThreads intra-op and inter-op threads of the o2v process
 * @param reference what the PyTorch reference process reported, null if it did not run
 * @param throughput per-workload rates
 * @param scaling scaling curve points
 * @param floors the MovieLens and document-embedding steps against the physical floor
 * @param cli {@code o2v train}'s own rates at a small and a large vocabulary, empty if not run
 * @param seconds wall time of the whole run
 */
public record Report(
    MachineInfo machine,
    String loadAverageEnd,
    String device,
    boolean quick,
    String libtorchThreads,
    ReferenceRunner.Header reference,
    List<ThroughputSuite.Row> throughput,
    List<ScalingSuite.Point> scaling,
    List<FloorResult> floors,
    List<CliScalingSuite.Result> cli,
    double seconds) {

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** Writes both files into {@code dir}. */
  public void write(Path dir) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("results.json"), JSON.writeValueAsString(this),
        StandardCharsets.UTF_8);
    Files.writeString(dir.resolve("results.md"), markdown(), StandardCharsets.UTF_8);
  }

  /** The tables in Markdown. */
  public String markdown() {
    StringBuilder md = new StringBuilder();
    md.append("# o2v benchmark results\n\n");
    line(md, "- machine: %d cores, %s, %.1f GB RAM, %s", machine.cores(), machine.cpuModel(),
        machine.memoryGigabytes(), machine.os());
    line(md, "- load average (1/5/15 min): %s at start, %s at end", machine.loadAverage(),
        loadAverageEnd);
    line(md, "- o2v: Java %s, DJL %s, libtorch %s, threads %s, device %s", machine.java(),
        machine.djl(), machine.pytorch(), libtorchThreads, device);
    if (reference != null) {
      line(md, "- reference: PyTorch %s eager, %d intra-op / %d inter-op threads",
          reference.torchVersion(), reference.threads(), reference.interopThreads());
    }
    line(md, "- %s run, %.0f s in total; every rate is the median over timed windows (for a"
        + " workload measured in rounds, o2v's and the reference's processes taking turns, over"
        + " the windows of every round)", quick ? "quick (smoke)" : "full", seconds);
    md.append('\n');
    if (!throughput.isEmpty()) {
      throughputTable(md);
    }
    for (FloorResult floor : floors) {
      floorTable(md, floor);
    }
    if (cli.size() == CliScalingSuite.VOCABS.length) {
      cliTable(md);
    }
    if (!scaling.isEmpty()) {
      scalingTable(md);
    }
    return md.toString();
  }

  private void throughputTable(StringBuilder md) {
    md.append("## Throughput (records/s)\n\n");
    md.append("| workload | enc_dim | token dim | max len | batch | params | steps ([rounds ×] "
        + "(warm-up + windows×steps)) | o2v train | PyTorch train | ratio | o2v infer |"
        + " PyTorch infer | ratio | Trainer epoch |\n");
    md.append("|---|--:|--:|--:|--:|--:|---|--:|--:|--:|--:|--:|--:|--:|\n");
    for (ThroughputSuite.Row row : throughput) {
      Workload w = row.workload();
      ReferenceRunner.Result ref = row.reference();
      String plan = String.format(Locale.ROOT, "%d + %d×%d", w.steps().warmup(),
          w.steps().repeats(), w.steps().perRepeat());
      line(md, "| %s | %d | %d | %d | %d | %,d | %s | %s | %s | %s | %s | %s | %s | %s |",
          w.name(), w.encDim(), w.effectiveTokenDim(), w.maxLen(), w.batch(), row.parameters(),
          row.rounds() > 1 ? row.rounds() + " × (" + plan + ")" : plan,
          number(row.o2vTrain().median()),
          number(ReferenceRunner.medianOrNaN(ref == null ? null : ref.train())),
          ratio(row.trainRatio()), number(row.o2vInfer().median()),
          number(ReferenceRunner.medianOrNaN(ref == null ? null : ref.infer())),
          ratio(row.inferRatio()), number(row.trainerEpochRate()));
    }
    md.append('\n');
  }

  private void floorTable(StringBuilder md, FloorResult floor) {
    StepCost c = floor.cost();
    MachineRates first = floor.rounds().get(0).rates();
    line(md, "## %s step against the physical floor\n", floor.workload());
    md.append("| quantity | value |\n|---|--:|\n");
    line(md, "| parameters the update moves | %,d |", c.parameters());
    line(md, "| Adam bytes per step (32 B/parameter) | %.1f MB |", c.optimizerBytes() / 1e6);
    line(md, "| forward + backward FLOPs per step | %.1f MFLOP |", c.flops() / 1e6);
    for (int i = 0; i < floor.rounds().size(); i++) {
      FloorRound round = floor.rounds().get(i);
      MachineRates r = round.rates();
      line(md, "| round %d: copy / add (%d MB arrays), matmul; o2v step | %.1f / %.1f GB/s,"
              + " %.1f GFLOP/s; %.2f ms |", i + 1, r.arrayBytes() / 1_000_000,
          r.copyBytesPerSecond() / 1e9, r.addBytesPerSecond() / 1e9,
          r.matmulFlopsPerSecond() / 1e9, round.o2vStepMillis());
    }
    line(md, "| best bandwidth / matmul rate (%d×%d float32) of the rounds | %.1f GB/s / %.1f"
            + " GFLOP/s |", first.matmulSize(), first.matmulSize(), floor.bandwidth() / 1e9,
        floor.matmulFlopsPerSecond() / 1e9);
    line(md, "| memory time / compute time | %.2f ms / %.2f ms |", floor.memoryMillis(),
        floor.computeMillis());
    line(md, "| floor (max of the two) | %.2f ms |", floor.floorMillis());
    line(md, "| o2v median step of the rounds | %.2f ms (%.1f× floor) |", floor.o2vStepMillis(),
        floor.o2vMultiple());
    if (!Double.isNaN(floor.referenceStepMillis())) {
      line(md, "| PyTorch reference median step (throughput suite) | %.2f ms (%.1f× floor) |",
          floor.referenceStepMillis(), floor.referenceMultiple());
    }
    md.append('\n');
  }

  private void cliTable(StringBuilder md) {
    md.append("## `o2v train` through the command: vocabulary 3,000,000 against 10,000\n\n");
    line(md, "Medians of %d rounds, the two commands taking turns.%n", cli.get(0).rounds());
    md.append("| vocabulary | epoch 0 records/s | epoch 1 records/s | command wall s |"
        + " rows a batch | their memory floor |\n");
    md.append("|--:|--:|--:|--:|--:|--:|\n");
    for (CliScalingSuite.Result r : cli) {
      line(md, "| %,d | %s | %s | %.1f | %,d | %.2f ms |", r.vocab(), number(r.epochRates()[0]),
          number(r.epochRates()[1]), r.wallSeconds(), r.rowsPerBatch(), r.rowsFloorMillis());
    }
    line(md, "| ratio | %.3f | %.3f | | | |", CliScalingSuite.ratio(cli, 0),
        CliScalingSuite.ratio(cli, 1));
    line(md, "| ceiling from the memory floor | %.3f | %.3f | | | |",
        CliScalingSuite.ceiling(cli, 0), CliScalingSuite.ceiling(cli, 1));
    md.append("\nMemory floor: every cache line of a batch's distinct rows in the table and Adam's"
        + " two moments, read and written once. Ceiling: the 10,000-row step plus the floor's"
        + " extra time at 3,000,000 rows, against that step.\n\n");
  }

  private void scalingTable(StringBuilder md) {
    md.append("## Scaling: median training step time (ms)\n\n");
    md.append("Plots: `scaling-batch.png`, `scaling-length.png`, `scaling-vocab.png`.\n\n");
    md.append("| curve | series | x | step ms | records/s |\n|---|---|--:|--:|--:|\n");
    for (ScalingSuite.Point p : scaling) {
      line(md, "| %s | %s | %,d | %.2f | %s |", p.curve(), p.series(), p.x(), p.stepMillis(),
          number(p.recordsPerSecond()));
    }
    md.append('\n');
  }

  private static String number(double value) {
    return Double.isNaN(value) ? "–" : String.format(Locale.ROOT, "%,.0f", value);
  }

  private static String ratio(double value) {
    return Double.isNaN(value) ? "–" : String.format(Locale.ROOT, "%.2f×", value);
  }

  private static void line(StringBuilder md, String format, Object... args) {
    md.append(String.format(Locale.ROOT, format, args)).append('\n');
  }
}
