package dev.o2v.benchmarks;

import ai.djl.Device;
import ai.djl.pytorch.jni.JniUtils;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Trains one of the harness's workloads in rounds of steps and prints each round's median step
 * time: the training step alone, without the harness's inference pass, trainer epochs or
 * reference, so that two builds can be compared round by round in alternating processes on a
 * noisy machine (the JVM needs about ten seconds before its step times settle; compare the later
 * rounds).
 *
 * <p>Run: {@code java -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=2 -cp CLASSPATH
 * dev.o2v.benchmarks.StepTimes WORKLOAD [ROUNDS [STEPS [THREADS [infer]]]]}, with a workload name
 * of {@link ThroughputSuite#workloads} ({@code small-hcnn}, {@code movielens}, ...), 10 rounds of
 * 200 steps by default. {@code THREADS}, a comma-separated list such as {@code 2,1}, gives
 * libtorch's thread count of each round in turn, so that two counts are compared round by round
 * in one process (with {@code -Do2v.stepThreads=keep}, or the small networks' rule lowers the
 * count again); {@code infer} times scoring batches instead of training steps.
 *
 * <p>The system property {@value #ROTATE}{@code =NAME=V1,V2,...} sets the system property {@code
 * NAME} to the next value before each round, so that two settings read at each step (such as
 * {@code o2v.holdUpdates=false,true}) are compared round by round in one process.
 */
public final class StepTimes {

  /** System property: a system property to set before each round, and its values in turn. */
  static final String ROTATE = "o2v.stepTimes.rotate";

  private StepTimes() {}

  /** Entry point. */
  public static void main(String[] args) throws IOException {
    if (args.length < 1) {
      System.err.println("usage: StepTimes WORKLOAD [ROUNDS [STEPS [THREADS [infer]]]]");
      System.exit(64);
    }
    String name = args[0];
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    int steps = args.length > 2 ? Integer.parseInt(args[2]) : 200;
    String[] rotation = args.length > 3 ? args[3].split(",") : new String[0];
    boolean infer = args.length > 4 && args[4].equals("infer");
    String rotate = System.getProperty(ROTATE, "");
    String rotated = rotate.contains("=") ? rotate.substring(0, rotate.indexOf('=')) : "";
    String[] values = rotated.isEmpty() ? new String[0]
        : rotate.substring(rotate.indexOf('=') + 1).split(",");
    Workload workload =
        ThroughputSuite.workload(name, false).withSteps(new Workload.Steps(0, steps, 1));
    Path dir = Files.createTempDirectory("o2v-step-times");
    try {
      WorkloadData data = WorkloadData.generate(workload, dir, 1);
      try (O2vRunner runner = new O2vRunner(workload, data.dataset(), Device.cpu(), 1)) {
        for (int round = 0; round < rounds; round++) {
          String threads = rotation.length == 0 ? "" : rotation[round % rotation.length].trim();
          if (!threads.isEmpty()) {
            JniUtils.setNumThreads(Integer.parseInt(threads));
          }
          String setting = "";
          if (values.length > 0) {
            String value = values[round % values.length].trim();
            System.setProperty(rotated, value);
            setting = " " + rotated + "=" + value;
          }
          Rate rate = infer ? runner.infer() : runner.train(round);
          System.out.printf(Locale.ROOT, "%s round %d%s%s: median step %.2f ms, %.0f records/s%n",
              name, round, threads.isEmpty() ? "" : " threads " + threads, setting,
              rate.medianStepMillis(), rate.median());
        }
      }
    } finally {
      FileTrees.delete(dir);
    }
  }
}
