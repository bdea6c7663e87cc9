package dev.o2v.benchmarks;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import dev.o2v.core.batch.Batch;
import dev.o2v.core.batch.BatchAssembler;
import dev.o2v.core.batch.BatchPlanner;
import dev.o2v.core.batch.EpochPlan;
import dev.o2v.core.data.PairDataset;
import dev.o2v.core.hp.Hyperparameters;
import dev.o2v.core.synthetic.MovieLensLikeRatings;
import dev.o2v.core.synthetic.PairExample;
import dev.o2v.encoders.Object2VecBlock;
import dev.o2v.train.BatchTensors;
import dev.o2v.train.StepOutcome;
import dev.o2v.train.TrainingStep;
import dev.o2v.train.loss.PairLoss;
import dev.o2v.train.model.TrainedModel;
import dev.o2v.train.optim.OptimizerFactory;
import dev.o2v.train.optim.TrainingOptimizer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Epoch time of a MovieLens-shaped regression (943 users, 1,682 items, 90,570 training ratings;
 * pooled_embedding both sides, enc_dim 1024, one tanh MLP layer of 256, adam 0.001, batch 64,
 * mean squared error), and where a dense step's time goes.
 *
 * <p>Modes (first argument): {@code epoch [dense|row_sparse ...]} times one full epoch per
 * storage type after 50 warm-up steps, batch assembly included, as the trainer runs it; {@code
 * profile [steps]} runs a hand-instrumented copy of the dense step and prints the mean time of
 * each phase (assembly, tensor creation, forward, backward, reading the loss, the optimizer
 * update of each parameter).
 * CPU ops of the engine are synchronous, so phase timers measure the work itself.
 */
public final class MovieLensEpochBenchmark {

  private MovieLensEpochBenchmark() {}

  /** Runs the chosen mode; see the class comment. */
  public static void main(String[] args) {
    String mode = args.length > 0 ? args[0] : "epoch";
    MovieLensLikeRatings generator =
        new MovieLensLikeRatings(MovieLensLikeRatings.Config.movieLens100k(), 17);
    PairDataset train = dataset(generator, generator.generate().train());
    print("engine %s, %d training ratings, load %s",
        Engine.getInstance().getVersion(), train.size(), MachineStats.loadAverage());
    if (mode.equals("profile")) {
      profile(train, args.length > 1 ? Integer.parseInt(args[1]) : 300);
      return;
    }
    List<String> storages =
        args.length > 1 ? List.of(args).subList(1, args.length) : List.of("dense", "row_sparse");
    for (String storage : storages) {
      epoch(train, storage);
    }
  }

  private static void epoch(PairDataset train, String storage) {
    Hyperparameters hp = hyperparameters(storage);
    try (NDManager manager = NDManager.newBaseManager();
        TrainingOptimizer optimizer = OptimizerFactory.create(hp.optimizer(), 0.001, 0)) {
      Engine.getInstance().setRandomSeed(5);
      Object2VecBlock block = TrainedModel.newInitializedBlock(hp, manager);
      TrainingStep step = TrainingStep.create(hp, block, optimizer, manager);
      BatchAssembler assembler = new BatchAssembler(train);
      BatchPlanner planner = BatchPlanner.forTraining(train, hp, 1);
      EpochPlan warmup = planner.plan(1);
      for (int b = 0; b < 50; b++) { // JIT, allocator and optimizer state
        step.run(assembler.assemble(warmup, b));
      }
      EpochPlan plan = planner.plan(0);
      double cpu = MachineStats.processCpuSeconds();
      long start = System.nanoTime();
      double lossSum = 0;
      for (int b = 0; b < plan.batchCount(); b++) {
        Batch batch = assembler.assemble(plan, b);
        StepOutcome outcome = step.run(batch);
        lossSum += outcome.meanLoss() * batch.size();
      }
      step.close();
      double seconds = (System.nanoTime() - start) / 1e9;
      print("%-10s epoch: %.1f s wall, %.1f s CPU (%d batches, %.0f records/s), train mse %.4f,"
              + " load %s",
          storage, seconds, MachineStats.processCpuSeconds() - cpu, plan.batchCount(),
          plan.pairCount() / seconds, lossSum / plan.pairCount(), MachineStats.loadAverage());
    }
  }

  /** A copy of the dense step with a timer around each phase. */
  private static void profile(PairDataset train, int steps) {
    Hyperparameters hp = hyperparameters("dense");
    PairLoss loss = PairLoss.forOutput(hp.outputLayer());
    try (NDManager manager = NDManager.newBaseManager();
        TrainingOptimizer optimizer = OptimizerFactory.create(hp.optimizer(), 0.001, 0)) {
      Engine.getInstance().setRandomSeed(5);
      Object2VecBlock block = TrainedModel.newInitializedBlock(hp, manager);
      ParameterStore store = new ParameterStore(manager, false);
      BatchAssembler assembler = new BatchAssembler(train);
      EpochPlan plan = BatchPlanner.forTraining(train, hp, 1).plan(0);
      Map<String, Long> nanos = new LinkedHashMap<>();
      int warmup = 20;
      for (int s = -warmup; s < steps; s++) {
        boolean timed = s >= 0;
        long read;
        long t0 = System.nanoTime();
        Batch batch = assembler.assemble(plan, (s + warmup) % plan.batchCount());
        long t1 = System.nanoTime();
        add(nanos, "batch assembly (JVM)", t1 - t0, timed);
        try (NDManager batchManager = manager.newSubManager();
            NDScope scope = new NDScope()) {
          NDList inputs = BatchTensors.inputs(batchManager, batch);
          NDArray labels = BatchTensors.labels(batchManager, batch);
          long t2 = System.nanoTime();
          add(nanos, "tensors from batch", t2 - t1, timed);
          try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray output = block.forward(store, inputs, true).singletonOrThrow();
            NDArray meanLoss = loss.mean(output, labels);
            long t3 = System.nanoTime();
            add(nanos, "forward + loss", t3 - t2, timed);
            collector.backward(meanLoss);
            long t4 = System.nanoTime();
            add(nanos, "backward", t4 - t3, timed);
            meanLoss.toType(DataType.FLOAT64, false).getDouble();
            read = System.nanoTime();
            add(nanos, "read loss", read - t4, timed);
          }
        }
        long t5 = System.nanoTime();
        add(nanos, "close collector, scope and batch manager", t5 - read, timed);
        for (Pair<String, Parameter> p : block.getParameters()) {
          long u0 = System.nanoTime();
          optimizer.update(p.getKey(), p.getValue().getArray());
          add(nanos, "update " + p.getKey() + " " + p.getValue().getArray().getShape(),
              System.nanoTime() - u0, timed);
        }
        add(nanos, "whole step", System.nanoTime() - t0, timed);
      }
      print("dense step, mean over %d steps (load %s):", steps, MachineStats.loadAverage());
      nanos.forEach((k, v) -> print("  %-60s %8.3f ms", k, v / 1e6 / steps));
    }
  }

  private static void add(Map<String, Long> nanos, String key, long value, boolean timed) {
    if (timed) {
      nanos.merge(key, value, Long::sum);
    }
  }

  private static Hyperparameters hyperparameters(String storage) {
    Map<String, Object> raw = MovieLensSettings.raw();
    raw.put("epochs", 1);
    raw.put("token_embedding_storage_type", storage);
    return Hyperparameters.parse(raw);
  }

  private static PairDataset dataset(MovieLensLikeRatings generator, List<PairExample> records) {
    return PairExample.toDataset(generator.schema(), records);
  }

  private static void print(String format, Object... args) {
    System.out.println(String.format(Locale.ROOT, format, args));
  }
}
