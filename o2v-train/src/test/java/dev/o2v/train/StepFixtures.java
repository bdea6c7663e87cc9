package dev.o2v.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import dev.o2v.core.batch.Batch;
import dev.o2v.core.batch.BatchAssembler;
import dev.o2v.core.batch.EpochPlan;
import dev.o2v.core.data.DataSchema;
import dev.o2v.core.data.LabelKind;
import dev.o2v.core.data.PairDataset;
import dev.o2v.core.data.SidePolicy;
import dev.o2v.core.hp.Hyperparameters;
import dev.o2v.encoders.Object2VecBlock;
import dev.o2v.train.model.TrainedModel;
import dev.o2v.train.optim.OptimizerFactory;
import dev.o2v.train.optim.TrainingOptimizer;
import dev.o2v.train.runtime.StepThreads;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** Tiny models and batches for training-step tests. */
final class StepFixtures {

  static final int VOCAB = 17;
  static final int MAX_LEN = 5;
  /** Ids are drawn below this bound, so rows {@code USED_IDS..VOCAB-1} never occur. */
  static final int USED_IDS = 12;

  private StepFixtures() {}

  /** Settings of a tiny 3-class model; {@code extra} overrides or adds keys. */
  static Hyperparameters hp(Map<String, Object> extra) {
    Map<String, Object> raw = new LinkedHashMap<>();
    raw.put("enc0_vocab_size", VOCAB);
    raw.put("enc0_max_seq_len", MAX_LEN);
    raw.put("enc0_network", "hcnn");
    raw.put("enc0_layers", 2);
    raw.put("enc0_token_embedding_dim", 4);
    raw.put("enc_dim", 6);
    raw.put("mlp_layers", 1);
    raw.put("mlp_dim", 5);
    raw.put("mlp_activation", "tanh");
    raw.put("output_layer", "softmax");
    raw.put("num_classes", 3);
    raw.put("mini_batch_size", 6);
    raw.put("learning_rate", 0.05);
    raw.put("dropout", 0.0);
    raw.putAll(extra);
    return Hyperparameters.parse(raw);
  }

  /**
   * {@code count} batches of 6 random records: lengths 1..MAX_LEN (so most rows are padded), ids
   * below {@link #USED_IDS} (so ids repeat within a batch and some rows are absent).
   */
  static List<Batch> batches(int count, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    int size = 6;
    DataSchema schema =
        new DataSchema(
            VOCAB, MAX_LEN, VOCAB, MAX_LEN, LabelKind.CLASS, 3, SidePolicy.BOTH_REQUIRED);
    PairDataset.Builder builder = PairDataset.builder(schema);
    for (int i = 0; i < count * size; i++) {
      builder.add(randomIds(random), randomIds(random), random.nextInt(3));
    }
    return assemble(builder.build(), size);
  }

  /**
   * {@code count} batches of 6 random records of at most one id a side (a sixth of side 1 empty),
   * ids below {@link #USED_IDS}, for networks whose {@code max_seq_len} is 1.
   */
  static List<Batch> oneTokenBatches(int count, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    int size = 6;
    DataSchema schema =
        new DataSchema(VOCAB, 1, VOCAB, 1, LabelKind.CLASS, 3, SidePolicy.AT_LEAST_ONE);
    PairDataset.Builder builder = PairDataset.builder(schema);
    for (int i = 0; i < count * size; i++) {
      int[] in1 = i % size == 2 ? new int[0] : new int[] {1 + random.nextInt(USED_IDS - 1)};
      builder.add(new int[] {1 + random.nextInt(USED_IDS - 1)}, in1, random.nextInt(3));
    }
    return assemble(builder.build(), size);
  }

  private static List<Batch> assemble(PairDataset data, int size) {
    EpochPlan plan = EpochPlan.inOrder(data.size(), size);
    BatchAssembler assembler = new BatchAssembler(data);
    List<Batch> batches = new ArrayList<>();
    for (int b = 0; b < plan.batchCount(); b++) {
      batches.add(assembler.assemble(plan, b));
    }
    return batches;
  }

  private static int[] randomIds(SplittableRandom random) {
    int[] ids = new int[1 + random.nextInt(MAX_LEN)];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = random.nextInt(USED_IDS);
    }
    return ids;
  }

  /** A network initialised from engine seed {@code seed}. */
  static Object2VecBlock block(Hyperparameters hp, NDManager manager, int seed) {
    Engine.getInstance().setRandomSeed(seed);
    return TrainedModel.newInitializedBlock(hp, manager);
  }

  /** Every parameter's values by name. */
  static Map<String, float[]> weights(Object2VecBlock block) {
    Map<String, float[]> weights = new LinkedHashMap<>();
    block.getParameters().forEach(p -> weights.put(p.getKey(), p.getValue().getArray()
        .toFloatArray()));
    return weights;
  }

  /** Asserts that two trainings ended with the same weights, by name, bit for bit. */
  static void assertSameWeights(Map<String, float[]> expected, Map<String, float[]> actual) {
    assertEquals(expected.keySet(), actual.keySet());
    for (String name : expected.keySet()) {
      assertArrayEquals(expected.get(name), actual.get(name), name);
    }
  }

  /** What a test does with a fresh network, its optimizer and the manager holding both. */
  @FunctionalInterface
  interface Training<T> {
    T run(Object2VecBlock block, TrainingOptimizer optimizer, NDManager manager) throws Exception;
  }

  /**
   * Runs {@code training} on a network of {@code hp} initialised from {@code seed}, with libtorch
   * on one thread of an engine configured for two: the spare core that lets a step hold updates.
   */
  static <T> T onOneOfTwoThreads(Hyperparameters hp, int seed, Training<T> training)
      throws Exception {
    Engine.getEngine("PyTorch"); // loads the native library before its thread count is read
    int engineThreads = JniUtils.getNumThreads();
    JniUtils.setNumThreads(2);
    try (NDManager manager = NDManager.newBaseManager();
        TrainingOptimizer optimizer =
            OptimizerFactory.create(hp.optimizer(), hp.learningRate(), hp.weightDecay());
        StepThreads.Scope threads = StepThreads.enter(hp)) {
      assertTrue(threads.lowered(), "a tiny network runs on one libtorch thread");
      return training.run(block(hp, manager, seed), optimizer, manager);
    } finally {
      JniUtils.setNumThreads(engineThreads);
    }
  }
}
