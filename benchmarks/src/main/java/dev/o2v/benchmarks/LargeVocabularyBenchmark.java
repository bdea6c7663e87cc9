package dev.o2v.benchmarks;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import dev.o2v.core.batch.Batch;
import dev.o2v.core.batch.BatchAssembler;
import dev.o2v.core.batch.EpochPlan;
import dev.o2v.core.data.DataSchema;
import dev.o2v.core.data.LabelKind;
import dev.o2v.core.data.PairDataset;
import dev.o2v.core.data.SidePolicy;
import dev.o2v.core.hp.HyperparameterCodec;
import dev.o2v.core.hp.Hyperparameters;
import dev.o2v.core.io.BulkDataInput;
import dev.o2v.core.io.BulkDataOutput;
import dev.o2v.encoders.Object2VecBlock;
import dev.o2v.train.TrainingState;
import dev.o2v.train.TrainingStep;
import dev.o2v.train.model.AtomicFiles;
import dev.o2v.train.model.CheckpointStore;
import dev.o2v.train.model.TrainedModel;
import dev.o2v.train.optim.OptimizerFactory;
import dev.o2v.train.optim.TrainingOptimizer;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * A tied 3,000,000 × 300 token table trained with lazy row-sparse Adam: table initialisation,
 * training steps (the first one allocates the [V, D] moments), a full checkpoint (weights and
 * optimizer state), saving the weights, loading them into a new model and restoring the
 * checkpoint, each with its time and the process's peak resident memory (VmHWM).
 *
 * <p>Usage: {@code LargeVocabularyBenchmark [vocab] [dim] [steps] [dir]}; the files go to a new
 * directory under {@code dir} (default the system temp directory) and are deleted at the end.
 * Weights move between native memory and the files through direct buffers, so a small heap
 * ({@code -Xmx1g}) is enough.
 */
public final class LargeVocabularyBenchmark {

  private static final int BATCH = 256;
  private static final int MAX_LEN = 20;

  private LargeVocabularyBenchmark() {}

  /** Runs the phases in order and prints one line per phase. */
  public static void main(String[] args) throws Exception {
    int vocab = args.length > 0 ? Integer.parseInt(args[0]) : 3_000_000;
    int dim = args.length > 1 ? Integer.parseInt(args[1]) : 300;
    int steps = args.length > 2 ? Integer.parseInt(args[2]) : 30;
    Path base = args.length > 3 ? Path.of(args[3]) : Path.of(System.getProperty("java.io.tmpdir"));
    Path dir = Files.createTempDirectory(base, "o2v-large-vocab");
    Hyperparameters hp = hyperparameters(vocab, dim);
    String hpJson = HyperparameterCodec.toCanonicalJson(hp);
    print("tied table %d x %d float32 (%.2f GB; with Adam moments %.2f GB), batch %d, load %s",
        vocab, dim, 4.0 * vocab * dim / 1e9, 12.0 * vocab * dim / 1e9, BATCH,
        MachineStats.loadAverage());
    long[] sampleRows = {0, vocab / 3, vocab - 1};
    float[][] samples = new float[sampleRows.length][];
    Path params = dir.resolve("weights.params");
    CheckpointStore checkpoints = new CheckpointStore(dir);
    try {
      try (NDManager manager = NDManager.newBaseManager();
          TrainingOptimizer optimizer = OptimizerFactory.create(hp.optimizer(), 0.001, 0)) {
        long start = startPhase();
        Engine.getInstance().setRandomSeed(3);
        Object2VecBlock block = TrainedModel.newInitializedBlock(hp, manager);
        phase("initialise the network", start);

        Batch[] batches = batches(vocab, steps, new SplittableRandom(5));
        TrainingStep step = TrainingStep.create(hp, block, optimizer, manager);
        start = startPhase();
        step.run(batches[0]);
        phase("first step (allocates the Adam moments)", start);
        start = startPhase();
        for (int s = 1; s < steps; s++) {
          step.run(batches[s]);
        }
        step.close();
        double seconds = (System.nanoTime() - start) / 1e9;
        phase(String.format(Locale.ROOT, "%d more steps: %.1f records/s, %.1f ms/step", steps - 1,
            (steps - 1) * BATCH / seconds, 1000 * seconds / (steps - 1)), start);

        NDArray table = block.tokenEmbedding(0).table().getArray();
        for (int i = 0; i < sampleRows.length; i++) {
          try (NDArray row = table.get(new NDIndex("{}", sampleRows[i]))) {
            samples[i] = row.toFloatArray();
          }
        }
        start = startPhase();
        TrainingState state =
            new TrainingState(1, TrainingState.fresh().stopping(), TrainingState.fresh().history(),
                "none");
        checkpoints.save(state, block, optimizer, hpJson, 1);
        phase(String.format(Locale.ROOT, "checkpoint (weights + Adam state), %.2f GB",
            directoryBytes(checkpoints.directory()) / 1e9), start);
        start = startPhase();
        AtomicFiles.write(params, out -> block.saveParameters(BulkDataOutput.wrap(out)));
        phase(String.format(Locale.ROOT, "save the weights, %.2f GB", Files.size(params) / 1e9),
            start);
      }
      print("training arrays freed: RSS now %.2f GB", MachineStats.rssGigabytes());

      try (NDManager manager = NDManager.newBaseManager()) {
        long start = startPhase();
        Object2VecBlock block = TrainedModel.newBlockForLoading(hp, manager);
        try (FileChannel channel = FileChannel.open(params, StandardOpenOption.READ)) {
          block.loadParameters(manager, BulkDataInput.fromFile(params, channel, 1 << 20));
        }
        phase("build a new model and load the weights", start);
        checkSamples(block, sampleRows, samples);
      }
      print("loaded model freed: RSS now %.2f GB", MachineStats.rssGigabytes());

      try (NDManager manager = NDManager.newBaseManager();
          TrainingOptimizer optimizer = OptimizerFactory.create(hp.optimizer(), 0.001, 0)) {
        long start = startPhase();
        Object2VecBlock block = TrainedModel.newBlockForLoading(hp, manager);
        TrainingState restored =
            checkpoints.restore(block, optimizer, manager, hpJson, 1).orElseThrow();
        phase("build a new model and restore the checkpoint (after epoch " + restored.lastEpoch()
            + ")", start);
        checkSamples(block, sampleRows, samples);
      }
    } finally {
      FileTrees.delete(dir);
    }
    print("peak RSS (VmHWM) %.2f GB, load %s", MachineStats.peakRssGigabytes(),
        MachineStats.loadAverage());
  }

  private static void checkSamples(Object2VecBlock block, long[] rows, float[][] expected) {
    NDArray table = block.tokenEmbedding(0).table().getArray();
    for (int i = 0; i < rows.length; i++) {
      try (NDArray row = table.get(new NDIndex("{}", rows[i]))) {
        if (!Arrays.equals(expected[i], row.toFloatArray())) {
          throw new IllegalStateException("row " + rows[i] + " differs after loading");
        }
      }
    }
    print("  sampled rows %s equal the trained ones", Arrays.toString(rows));
  }

  private static Hyperparameters hyperparameters(int vocab, int dim) {
    Map<String, Object> raw = new LinkedHashMap<>();
    raw.put("enc0_vocab_size", vocab);
    raw.put("enc0_max_seq_len", MAX_LEN);
    raw.put("enc0_network", "pooled_embedding");
    raw.put("enc_dim", dim);
    raw.put("tied_token_embedding_weight", true);
    raw.put("token_embedding_storage_type", "row_sparse");
    raw.put("mlp_layers", 1);
    raw.put("mlp_dim", 256);
    raw.put("mlp_activation", "relu");
    raw.put("output_layer", "softmax");
    raw.put("num_classes", 2);
    raw.put("optimizer", "adam");
    raw.put("mini_batch_size", BATCH);
    return Hyperparameters.parse(raw);
  }

  /** One batch per step of random records whose ids spread over the whole vocabulary. */
  private static Batch[] batches(int vocab, int steps, SplittableRandom random) {
    DataSchema schema =
        new DataSchema(
            vocab, MAX_LEN, vocab, MAX_LEN, LabelKind.CLASS, 2, SidePolicy.BOTH_REQUIRED);
    PairDataset.Builder builder = PairDataset.builder(schema);
    for (int i = 0; i < steps * BATCH; i++) {
      builder.add(ids(random, vocab), ids(random, vocab), random.nextInt(2));
    }
    PairDataset data = builder.build();
    EpochPlan plan = EpochPlan.inOrder(data.size(), BATCH);
    BatchAssembler assembler = new BatchAssembler(data);
    Batch[] batches = new Batch[plan.batchCount()];
    for (int b = 0; b < batches.length; b++) {
      batches[b] = assembler.assemble(plan, b);
    }
    return batches;
  }

  private static int[] ids(SplittableRandom random, int vocab) {
    int[] ids = new int[5 + random.nextInt(MAX_LEN - 4)];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = random.nextInt(vocab);
    }
    return ids;
  }

  /** CPU seconds of the process when the current phase began: total, user, system. */
  private static double phaseCpu = MachineStats.processCpuSeconds();
  private static double[] phaseUserSystem = MachineStats.processUserSystemSeconds();

  /**
   * Prints a phase's wall time, the process CPU time it used (split into user and kernel time,
   * so time lost to a busy machine shows as wall time beyond CPU time) and the peak RSS so far.
   */
  private static void phase(String what, long startNanos) {
    double cpu = MachineStats.processCpuSeconds();
    double[] userSystem = MachineStats.processUserSystemSeconds();
    print("%-62s %7.2f s wall %7.2f s CPU (user %6.2f, sys %6.2f)   peak RSS %5.2f GB   load %s",
        what, (System.nanoTime() - startNanos) / 1e9, cpu - phaseCpu,
        userSystem[0] - phaseUserSystem[0], userSystem[1] - phaseUserSystem[1],
        MachineStats.peakRssGigabytes(), MachineStats.loadAverage());
    phaseCpu = cpu;
    phaseUserSystem = userSystem;
  }

  private static long startPhase() {
    phaseCpu = MachineStats.processCpuSeconds();
    phaseUserSystem = MachineStats.processUserSystemSeconds();
    return System.nanoTime();
  }

  private static long directoryBytes(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.mapToLong(f -> f.toFile().length()).sum();
    }
  }

  private static void print(String format, Object... args) {
    System.out.println(String.format(Locale.ROOT, format, args));
  }
}
