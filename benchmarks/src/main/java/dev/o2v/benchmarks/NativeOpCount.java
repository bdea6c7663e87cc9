package dev.o2v.benchmarks;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import dev.o2v.core.batch.Batch;
import dev.o2v.core.batch.BatchAssembler;
import dev.o2v.core.batch.BatchPlanner;
import dev.o2v.core.batch.EpochPlan;
import dev.o2v.core.hp.Hyperparameters;
import dev.o2v.encoders.Object2VecBlock;
import dev.o2v.train.BatchTensors;
import dev.o2v.train.TrainingStep;
import dev.o2v.train.model.TrainedModel;
import dev.o2v.train.optim.OptimizerFactory;
import dev.o2v.train.optim.TrainingOptimizer;
import dev.o2v.train.runtime.NoGradScope;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Counts the native operations of one training step and one inference batch per encoder, with the
 * engine's profiler (see {@link OpTrace} for what is counted).
 *
 * <p>Usage: {@code NativeOpCount [--by-name] [--time N] [NETWORK...]}; networks default to {@code
 * pooled_embedding hcnn bilstm}. The workload is the small topic-pair configuration (enc_dim 64,
 * token dim 64, max length 20, batch 64, adam, dropout 0). Per network it prints, averaged over a
 * few profiled steps after a warm-up: the top-level operators of a whole dense training step, the
 * share of the optimizer update alone, the backward-pass nodes, every aten operator including
 * nested ones, and the top-level operators of one scoring batch ({@code score}) and one
 * single-side embedding batch ({@code embed}) under no-grad. With {@code --time N} it then times
 * each of the three, unprofiled, {@code N} times after {@code N} warm-up runs and prints the median
 * wall-clock and calling-thread CPU milliseconds (run with {@code
 * -Dai.djl.pytorch.num_threads=1} so that all engine work happens on the calling thread and the
 * CPU time leaves out waiting for a core on a busy machine).
 */
public final class NativeOpCount {

  private static final int WARMUP = 3;
  private static final int PROFILED = 4;

  private NativeOpCount() {}

  /** Entry point. */
  public static void main(String[] args) throws Exception {
    boolean byName = false;
    int timed = 0;
    List<String> networks = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--by-name" -> byName = true;
        case "--time" -> timed = Integer.parseInt(args[++i]);
        default -> networks.add(args[i]);
      }
    }
    if (networks.isEmpty()) {
      networks = List.of("pooled_embedding", "hcnn", "bilstm");
    }
    System.out.printf(
        Locale.ROOT,
        "%-17s %11s %9s %9s %8s %9s %11s %11s%n",
        "network",
        "train ops",
        "of optim",
        "fwd+loss",
        "bwd nodes",
        "all aten",
        "score ops",
        "embed ops");
    Path dir = Files.createTempDirectory("o2v-opcount");
    try {
      for (String network : networks) {
        count(network, dir, byName, timed);
      }
    } finally {
      FileTrees.delete(dir);
    }
  }

  private static void count(String network, Path dir, boolean byName, int timed)
      throws IOException {
    Workload w =
        Workload.topics(
            "opcount-" + network,
            network,
            64,
            64,
            1000,
            20,
            64,
            new Workload.Steps(0, 2 * (WARMUP + PROFILED), 1));
    Hyperparameters hp = w.hyperparameters();
    WorkloadData data = WorkloadData.generate(w, dir, 1);
    Engine.getInstance().setRandomSeed(1);
    try (NDManager manager = NDManager.newBaseManager();
        TrainingOptimizer optimizer =
            OptimizerFactory.create(hp.optimizer(), hp.learningRate(), hp.weightDecay())) {
      Object2VecBlock block = TrainedModel.newInitializedBlock(hp, manager);
      @SuppressWarnings("resource") // closed at the end, once the step is no longer timed
      TrainingStep step = TrainingStep.create(hp, block, optimizer, manager);
      BatchAssembler assembler = new BatchAssembler(data.dataset());
      EpochPlan trainPlan = BatchPlanner.forTraining(data.dataset(), hp, 1).plan(0);
      int[] next = {0};
      Runnable train =
          () -> step.run(assembler.assemble(trainPlan, next[0]++ % trainPlan.batchCount()));
      OpTrace trainTrace = profile(train, dir.resolve("train.json"));
      OpTrace optimTrace = profile(() -> optimizer.step(block.getParameters()),
          dir.resolve("optim.json"));
      EpochPlan inOrder = EpochPlan.inOrder(data.dataset().size(), w.batch());
      ParameterStore store = new ParameterStore(manager, false);
      OpTrace scoreTrace;
      OpTrace embedTrace;
      Runnable score = () -> infer(block, store, manager, assembler.assemble(inOrder, 0), true);
      Runnable embed = () -> infer(block, store, manager, assembler.assemble(inOrder, 1), false);
      try (NoGradScope noGrad = NoGradScope.enter()) {
        scoreTrace = profile(score, dir.resolve("score.json"));
        embedTrace = profile(embed, dir.resolve("embed.json"));
      }
      double perStep = PROFILED;
      System.out.printf(
          Locale.ROOT,
          "%-17s %11.1f %9.1f %9.1f %8.1f %9.1f %11.1f %11.1f%n",
          network,
          trainTrace.issuedTotal() / perStep,
          optimTrace.issuedTotal() / perStep,
          (trainTrace.issuedTotal() - optimTrace.issuedTotal()) / perStep,
          trainTrace.backwardNodes() / perStep,
          trainTrace.allAten() / perStep,
          scoreTrace.issuedTotal() / perStep,
          embedTrace.issuedTotal() / perStep);
      if (timed > 0) {
        double[] trainMs = time(train, timed);
        double[] scoreMs;
        double[] embedMs;
        try (NoGradScope noGrad = NoGradScope.enter()) {
          scoreMs = time(score, timed);
          embedMs = time(embed, timed);
        }
        System.out.printf(
            Locale.ROOT,
            "  median ms over %d (wall / thread CPU): train %.2f / %.2f, score %.2f / %.2f,"
                + " embed %.2f / %.2f%n",
            timed,
            trainMs[0],
            trainMs[1],
            scoreMs[0],
            scoreMs[1],
            embedMs[0],
            embedMs[1]);
      }
      step.close();
      if (byName) {
        printByName("train step", trainTrace.issued());
        printByName("optimizer alone", optimTrace.issued());
        printByName("score batch", scoreTrace.issued());
        printByName("embed batch", embedTrace.issued());
      }
    }
  }

  /** Runs {@code work} {@link #WARMUP} times unprofiled, then {@link #PROFILED} times profiled. */
  private static OpTrace profile(Runnable work, Path trace) throws IOException {
    for (int i = 0; i < WARMUP; i++) {
      work.run();
    }
    JniUtils.startProfile(false, false, false);
    for (int i = 0; i < PROFILED; i++) {
      work.run();
    }
    JniUtils.stopProfile(trace.toString());
    return OpTrace.read(trace);
  }

  /** Median {@code {wall ms, thread CPU ms}} of {@code runs} runs after as many warm-up runs. */
  private static double[] time(Runnable work, int runs) {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    for (int i = 0; i < runs; i++) {
      work.run();
    }
    double[] wall = new double[runs];
    double[] cpu = new double[runs];
    for (int i = 0; i < runs; i++) {
      long cpuStart = threads.getCurrentThreadCpuTime();
      long start = System.nanoTime();
      work.run();
      wall[i] = (System.nanoTime() - start) / 1e6;
      cpu[i] = (threads.getCurrentThreadCpuTime() - cpuStart) / 1e6;
    }
    Arrays.sort(wall);
    Arrays.sort(cpu);
    return new double[] {wall[runs / 2], cpu[runs / 2]};
  }

  /** One inference batch as the batch runner does it: scores of pairs or side-0 embeddings. */
  private static void infer(
      Object2VecBlock block, ParameterStore store, NDManager manager, Batch batch, boolean pairs) {
    try (NDManager batchManager = manager.newSubManager();
        NDScope scope = new NDScope()) {
      NDList inputs = BatchTensors.inputs(batchManager, batch);
      NDArray out =
          pairs
              ? block.score(store, inputs)
              : block.embed(store, inputs.get(0), inputs.get(1), 0);
      if (out.toFloatArray().length == 0) {
        throw new IllegalStateException("empty inference output");
      }
    }
  }

  private static void printByName(String title, Map<String, Integer> counts) {
    System.out.printf(Locale.ROOT, "  %s:%n", title);
    counts.entrySet().stream()
        .sorted((a, b) -> b.getValue() - a.getValue())
        .forEach(
            e ->
                System.out.printf(
                    Locale.ROOT, "    %7.1f  %s%n", e.getValue() / (double) PROFILED, e.getKey()));
  }
}
