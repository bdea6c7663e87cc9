package dev.o2v.benchmarks;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import ai.djl.Device;
import dev.o2v.train.runtime.DeviceChoice;
import dev.o2v.train.runtime.DeviceSelector;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Measures o2v on one workload in a JVM of its own, as a user's job runs: generates the workload's
 * data, times training and inference with {@link O2vRunner} and, for the small workloads, the
 * real trainer's epoch rate. Run in one process one after another, later workloads were measured
 * slower than when they ran first (the JIT's profiles and the native allocator's state carry
 * over), so each workload gets a fresh process.
 *
 * <p>The parent calls {@link #measure}; the child is this class's {@link #main}, which writes its
 * {@link Outcome} as JSON to the file the parent names.
 */
public final class O2vWorkloadProcess {

  /**
   * What the child measured.
   *
   * @param parameters trainable weights of the network
   * @param train training rate
   * @param infer inference (scoring) rate
   * @param trainerEpochRate median {@code #throughput_metric} of the real trainer, NaN when not
   *     checked
   * @param jsonl the workload's records as JSON Lines, for the reference
   */
  public record Outcome(long parameters, Rate train, Rate infer, double trainerEpochRate,
      Path jsonl) {}

  private static final ObjectMapper JSON = JsonMapper.builder()
      .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .build();

  private O2vWorkloadProcess() {}

  /**
   * Runs {@code workload} in a child JVM with this JVM's options and class path and returns what
   * it measured; its output goes to this process's standard output and error.
   *
   * @throws IOException when the child fails, naming its exit code
   */
  public static Outcome measure(Workload workload, HarnessOptions options, Path workDir)
      throws IOException, InterruptedException {
    Path result = workDir.resolve(workload.name() + "-o2v.json");
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    for (String argument : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (!argument.startsWith("-Dai.djl.pytorch.num_threads=")) {
        command.add(argument);
      }
    }
    command.add("-Dai.djl.pytorch.num_threads=" + options.threads());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(O2vWorkloadProcess.class.getName());
    command.addAll(List.of(workload.name(), Boolean.toString(options.quick()), options.device(),
        Long.toString(options.seed()), workDir.toString(), result.toString()));
    Process process = new ProcessBuilder(command).inheritIO().start();
    int exit = process.waitFor();
    if (exit != 0) {
      throw new IOException(String.format(Locale.ROOT,
          "the o2v measurement of %s exited %d (its output is above)", workload.name(), exit));
    }
    return JSON.readValue(result.toFile(), Outcome.class);
  }

  /**
   * Child side: {@code WORKLOAD QUICK DEVICE SEED WORK_DIR RESULT_FILE}; libtorch's thread count
   * comes from {@code -Dai.djl.pytorch.num_threads}.
   */
  public static void main(String[] args) throws Exception {
    if (args.length != 6) {
      System.err.println("usage: O2vWorkloadProcess WORKLOAD QUICK DEVICE SEED WORK_DIR RESULT");
      System.exit(2);
    }
    boolean quick = Boolean.parseBoolean(args[1]);
    Workload workload = ThroughputSuite.workload(args[0], quick);
    long seed = Long.parseLong(args[3]);
    Device device = DeviceSelector.forEngine().select(DeviceChoice.parse(args[2]));
    WorkloadData data = WorkloadData.generate(workload, Path.of(args[4]), seed);
    long parameters;
    Rate train;
    Rate infer;
    try (O2vRunner runner = new O2vRunner(workload, data.dataset(), device, seed)) {
      parameters = runner.parameterCount();
      train = runner.train(seed);
      infer = runner.infer();
    }
    double trainer = Double.NaN;
    if (workload.name().startsWith("small-")) {
      trainer = TrainerCheck.medianThroughput(workload, data.dataset(), device, quick ? 2 : 3,
          seed);
    }
    JSON.writeValue(Path.of(args[5]).toFile(),
        new Outcome(parameters, train, infer, trainer, data.jsonl()));
    System.exit(0);
  }
}
