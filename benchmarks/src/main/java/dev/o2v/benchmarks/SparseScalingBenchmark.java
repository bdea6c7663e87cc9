package dev.o2v.benchmarks;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.o2v.core.batch.Batch;
import dev.o2v.core.batch.BatchAssembler;
import dev.o2v.core.batch.EpochPlan;
import dev.o2v.core.data.DataSchema;
import dev.o2v.core.data.LabelKind;
import dev.o2v.core.data.PairDataset;
import dev.o2v.core.data.SidePolicy;
import dev.o2v.core.hp.Hyperparameters;
import dev.o2v.encoders.Object2VecBlock;
import dev.o2v.train.TrainingStep;
import dev.o2v.train.model.TrainedModel;
import dev.o2v.train.optim.OptimizerFactory;
import dev.o2v.train.optim.TrainingOptimizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Training throughput against vocabulary size, for lazy row-sparse and for dense token tables.
 *
 * <p>The same records (ids below 10,000, lengths 5..20 per side) train a tied pooled_embedding
 * model (enc_dim 128, mlp 1×128, softmax over 2 classes, adam, batch 256) whose table has 10,000
 * rows and 3,000,000 rows. The two vocabulary sizes of one storage type are measured in
 * alternating rounds in one process, so a change of machine load hits both; the printed ratio is
 * median records/s at the large vocabulary over median records/s at the small one. Row-sparse
 * training should keep the ratio near 1; dense training pays for the whole table every step.
 *
 * <p>It also times finding a batch's distinct ids with their inverse on the JVM against the
 * engine's {@code unique} (which needs a device-to-host copy to learn the ids).
 *
 * <p>Usage: {@code SparseScalingBenchmark [largeVocab] [sparseRounds] [denseRounds]}; run with
 * {@code -Dai.djl.offline=true} and a heap of 2 GB or more.
 */
public final class SparseScalingBenchmark {

  private static final int SMALL_VOCAB = 10_000;
  /** Batch size of both vocabularies' settings, and of the command suite's. */
  static final int BATCH = 256;
  /** Token vector width (enc_dim) of those settings. */
  static final int ENC_DIM = 128;
  private static final int MAX_LEN = 20;
  private static final int BATCHES = 40;

  private SparseScalingBenchmark() {}

  /** Runs the benchmark and prints a table, the two ratios and the load average. */
  public static void main(String[] args) {
    int largeVocab = args.length > 0 ? Integer.parseInt(args[0]) : 3_000_000;
    int sparseRounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    int denseRounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    Engine engine = Engine.getInstance();
    print("engine %s %s, %d cores, load %s", engine.getEngineName(), engine.getVersion(),
        Runtime.getRuntime().availableProcessors(), MachineStats.loadAverage());
    List<Batch> batches = batches(new SplittableRandom(3));
    compareUnique(batches);
    int[] vocabs = {SMALL_VOCAB, largeVocab};
    double sparse = ratio("row_sparse", vocabs, batches, sparseRounds, 20);
    double dense = ratio("dense", vocabs, batches, denseRounds, 3);
    print("records/s ratio vocab %d / %d: row_sparse %.3f, dense %.4f (load %s, peak RSS %.2f GB)",
        largeVocab, SMALL_VOCAB, sparse, dense, MachineStats.loadAverage(),
        MachineStats.peakRssGigabytes());
  }

  /** Measures both vocabularies of one storage type in alternating rounds; returns the ratio. */
  private static double ratio(
      String storage, int[] vocabs, List<Batch> batches, int rounds, int stepsPerRound) {
    List<Run> runs = new ArrayList<>();
    try {
      for (int vocab : vocabs) {
        runs.add(new Run(storage, vocab));
      }
      for (Run run : runs) {
        run.steps(batches, 0, 2); // warm-up; also allocates the optimizer state
      }
      int next = 2;
      for (int round = 0; round < rounds; round++) {
        for (Run run : runs) {
          run.timedSteps(batches, next, stepsPerRound);
        }
        next += stepsPerRound;
      }
      for (Run run : runs) {
        print("%-10s vocab %9d: init %6.2f s, median %9.1f records/s over %d rounds of %d steps"
                + " (min %.1f, max %.1f), load %s",
            storage, run.vocab, run.initSeconds, run.median(), rounds, stepsPerRound,
            run.rates[0], run.rates[rounds - 1], MachineStats.loadAverage());
      }
      return runs.get(1).median() / runs.get(0).median();
    } finally {
      runs.forEach(Run::close);
    }
  }

  /** One model with its optimizer and training step. */
  private static final class Run implements AutoCloseable {
    final int vocab;
    final double initSeconds;
    final NDManager manager = NDManager.newBaseManager();
    final TrainingOptimizer optimizer;
    final TrainingStep step;
    double[] rates = new double[0];

    Run(String storage, int vocab) {
      this.vocab = vocab;
      Hyperparameters hp = hyperparameters(storage, vocab);
      long start = System.nanoTime();
      Engine.getInstance().setRandomSeed(7);
      Object2VecBlock block = TrainedModel.newInitializedBlock(hp, manager);
      initSeconds = (System.nanoTime() - start) / 1e9;
      optimizer = OptimizerFactory.create(hp.optimizer(), hp.learningRate(), hp.weightDecay());
      step = TrainingStep.create(hp, block, optimizer, manager);
    }

    void steps(List<Batch> batches, int from, int count) {
      for (int i = 0; i < count; i++) {
        step.run(batches.get((from + i) % batches.size()));
      }
    }

    void timedSteps(List<Batch> batches, int from, int count) {
      long start = System.nanoTime();
      steps(batches, from, count);
      double seconds = (System.nanoTime() - start) / 1e9;
      rates = Arrays.copyOf(rates, rates.length + 1);
      rates[rates.length - 1] = count * BATCH / seconds;
      Arrays.sort(rates);
    }

    double median() {
      return rates[rates.length / 2];
    }

    @Override
    public void close() {
      step.close();
      optimizer.close();
      manager.close();
    }
  }

  private static Hyperparameters hyperparameters(String storage, int vocab) {
    return Hyperparameters.parse(rawHyperparameters(storage, vocab));
  }

  /**
   * The settings of both vocabularies (tied pooled_embedding, enc_dim 128, MLP 1 × 128 relu,
   * batch 256, Adam 0.001), in SageMaker spelling; the command-line suite trains with them too.
   */
  static Map<String, Object> rawHyperparameters(String storage, int vocab) {
    Map<String, Object> raw = new LinkedHashMap<>();
    raw.put("enc0_vocab_size", vocab);
    raw.put("enc0_max_seq_len", MAX_LEN);
    raw.put("enc0_network", "pooled_embedding");
    raw.put("enc_dim", ENC_DIM);
    raw.put("tied_token_embedding_weight", true);
    raw.put("token_embedding_storage_type", storage);
    raw.put("mlp_layers", 1);
    raw.put("mlp_dim", 128);
    raw.put("mlp_activation", "relu");
    raw.put("output_layer", "softmax");
    raw.put("num_classes", 2);
    raw.put("optimizer", "adam");
    raw.put("learning_rate", 0.001);
    raw.put("mini_batch_size", BATCH);
    return raw;
  }

  /** {@link #BATCHES} batches of random records over the small vocabulary. */
  private static List<Batch> batches(SplittableRandom random) {
    DataSchema schema = new DataSchema(SMALL_VOCAB, MAX_LEN, SMALL_VOCAB, MAX_LEN,
        LabelKind.CLASS, 2, SidePolicy.BOTH_REQUIRED);
    PairDataset.Builder builder = PairDataset.builder(schema);
    for (int i = 0; i < BATCHES * BATCH; i++) {
      builder.add(ids(random), ids(random), random.nextInt(2));
    }
    PairDataset data = builder.build();
    EpochPlan plan = EpochPlan.inOrder(data.size(), BATCH);
    BatchAssembler assembler = new BatchAssembler(data);
    List<Batch> batches = new ArrayList<>();
    for (int b = 0; b < plan.batchCount(); b++) {
      batches.add(assembler.assemble(plan, b));
    }
    return batches;
  }

  private static int[] ids(SplittableRandom random) {
    int[] ids = new int[5 + random.nextInt(MAX_LEN - 4)];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = random.nextInt(SMALL_VOCAB);
    }
    return ids;
  }

  /**
   * Distinct ids and inverse of both sides of each batch: on the JVM with a table-sized stamp
   * array (as the row-sparse step does), and with the engine's {@code unique} plus the copy of
   * the distinct ids back to the JVM.
   */
  private static void compareUnique(List<Batch> batches) {
    int[] localOf = new int[SMALL_VOCAB];
    Arrays.fill(localOf, -1);
    double[] jvm = new double[batches.size()];
    double[] engine = new double[batches.size()];
    long checksum = 0;
    try (NDManager manager = NDManager.newBaseManager()) {
      for (int round = 0; round < 2; round++) { // the first round warms up
        for (int b = 0; b < batches.size(); b++) {
          Batch batch = batches.get(b);
          long start = System.nanoTime();
          int[] rows = new int[1024];
          int count = 0;
          int[][] inverse = new int[2][];
          for (int side = 0; side < 2; side++) {
            int[] ids = batch.ids(side);
            inverse[side] = new int[ids.length];
            for (int i = 0; i < ids.length; i++) {
              int id = ids[i];
              if (localOf[id] < 0) {
                if (count == rows.length) {
                  rows = Arrays.copyOf(rows, 2 * count);
                }
                localOf[id] = count;
                rows[count++] = id;
              }
              inverse[side][i] = localOf[id];
            }
          }
          for (int i = 0; i < count; i++) {
            localOf[rows[i]] = -1;
          }
          jvm[b] = (System.nanoTime() - start) / 1e3;
          checksum += count;

          start = System.nanoTime();
          try (NDManager scope = manager.newSubManager()) {
            NDArray both = scope.create(concat(batch.ids(0), batch.ids(1)),
                new Shape(batch.ids(0).length + batch.ids(1).length));
            NDList unique = both.unique(false, true, false);
            checksum += unique.get(0).toIntArray().length + unique.get(1).getShape().get(0);
          }
          engine[b] = (System.nanoTime() - start) / 1e3;
        }
      }
    }
    Arrays.sort(jvm);
    Arrays.sort(engine);
    print("distinct ids + inverse per batch (both sides, %d records): JVM median %.1f us,"
            + " engine unique + copy median %.1f us (checksum %d, load %s)",
        BATCH, jvm[jvm.length / 2], engine[engine.length / 2], checksum,
        MachineStats.loadAverage());
  }

  private static int[] concat(int[] a, int[] b) {
    int[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static void print(String format, Object... args) {
    System.out.println(String.format(Locale.ROOT, format, args));
  }
}
