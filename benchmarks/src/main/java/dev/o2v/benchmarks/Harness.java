package dev.o2v.benchmarks;

import ai.djl.Device;
import ai.djl.pytorch.jni.JniUtils;
import dev.o2v.train.runtime.DeviceChoice;
import dev.o2v.train.runtime.DeviceSelector;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The benchmark harness: o2v against a PyTorch eager reference on generated data (training and
 * inference records/s per encoder and size), scaling curves, the MovieLens-shaped and
 * document-embedding steps against this machine's physical floor, and {@code o2v train}'s own
 * rate at a small and a large vocabulary through the command. Writes {@code results.json},
 * {@code results.md} and the scaling plots into the output directory.
 *
 * <p>Run it with {@code benchmarks/run.sh [--quick] [--device cpu|gpu]}; see {@link
 * HarnessOptions} for every option.
 */
public final class Harness {

  private Harness() {}

  /** Entry point; exit code 2 for bad options, 3 when the requested device is missing. */
  public static void main(String[] args) throws Exception {
    HarnessOptions options;
    try {
      options = HarnessOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    // Read by the PyTorch engine when it loads (the device check below loads it).
    System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(options.threads()));
    Device device;
    try {
      device = DeviceSelector.forEngine().select(DeviceChoice.parse(options.device()));
    } catch (DeviceSelector.NoGpuException e) {
      System.err.println("benchmark: " + e.getMessage());
      System.exit(3);
      return;
    }
    System.exit(run(options, device));
  }

  private static int run(HarnessOptions options, Device device)
      throws IOException, InterruptedException {
    long start = System.nanoTime();
    MachineInfo machine = MachineInfo.current();
    String threads = JniUtils.getNumThreads() + " intra-op / " + JniUtils.getNumInteropThreads()
        + " inter-op";
    System.out.printf(Locale.ROOT, "machine: %s; load %s; libtorch %s, %s; device %s%n",
        machine.cpuModel(), machine.loadAverage(), machine.pytorch(), threads, device);
    Path workDir = Files.createTempDirectory("o2v-bench");
    try {
      List<ThroughputSuite.Row> throughput = List.of();
      if (options.suites().contains("throughput")) {
        throughput = ThroughputSuite.run(options, workDir);
      }
      List<FloorResult> floors = List.of();
      if (options.suites().contains("floor")) {
        floors = FloorSuite.run(options, device, workDir, throughput);
      }
      List<ScalingSuite.Point> scaling = List.of();
      if (options.suites().contains("scaling")) {
        scaling = ScalingSuite.run(options, device, workDir);
      }
      List<CliScalingSuite.Result> cli = List.of();
      if (options.suites().contains("cli")) {
        cli = CliScalingSuite.run(options, Path.of("o2v").toAbsolutePath(), workDir);
      }
      Optional<ReferenceRunner.Header> header = Optional.empty();
      if (options.withReference()) {
        header = ReferenceRunner.probe(options, workDir);
      }
      Report report =
          new Report(machine, MachineInfo.currentLoadAverage(), options.device(), options.quick(),
              threads, header.orElse(null), throughput, scaling, floors, cli,
              (System.nanoTime() - start) / 1e9);
      report.write(options.out());
      if (!scaling.isEmpty()) {
        Plots.write(scaling, options.out(), String.format(Locale.ROOT, "%d cores, %s",
            machine.cores(), options.device()));
      }
      System.out.println();
      System.out.println(report.markdown());
      System.out.println("results written to " + options.out().toAbsolutePath());
      return 0;
    } finally {
      FileTrees.delete(workDir);
    }
  }
}
