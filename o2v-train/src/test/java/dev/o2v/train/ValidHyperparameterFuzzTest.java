package dev.o2v.train;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.o2v.core.batch.Batch;
import dev.o2v.core.batch.BatchAssembler;
import dev.o2v.core.batch.BatchPlanner;
import dev.o2v.core.batch.EpochPlan;
import dev.o2v.core.data.DataSchema;
import dev.o2v.core.data.PairDataset;
import dev.o2v.core.hp.ComparatorOp;
import dev.o2v.core.hp.HyperparameterCodec;
import dev.o2v.core.hp.HyperparameterException;
import dev.o2v.core.hp.Hyperparameters;
import dev.o2v.core.hp.MlpActivation;
import dev.o2v.core.hp.Network;
import dev.o2v.core.hp.OptimizerKind;
import dev.o2v.core.hp.OutputLayer;
import dev.o2v.encoders.Object2VecBlock;
import dev.o2v.train.loss.PairLoss;
import dev.o2v.train.model.TrainedModel;
import dev.o2v.train.optim.OptimizerFactory;
import dev.o2v.train.optim.TrainingOptimizer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Random hyperparameter sets that the validator accepts must build a network that trains: a
 * forward, backward and optimizer step on a small batch, then an inference forward, without an
 * exception and with a finite first loss. A set the network cannot handle is a validator bug.
 */
@Tag("engine")
class ValidHyperparameterFuzzTest {

  private static final int CASES = 300;

  @Test
  void everyAcceptedSmallHyperparameterSetTrainsOneStep() {
    SplittableRandom random = new SplittableRandom(99L);
    List<String> failures = new ArrayList<>();
    int[] counts = new int[2]; // accepted, rejected
    assertTimeoutPreemptively(Duration.ofMinutes(3), () -> {
      for (int i = 0; i < CASES; i++) {
        Map<String, Object> raw = randomSmallHyperparameters(random);
        Hyperparameters hp;
        try {
          hp = HyperparameterCodec.parse(raw);
        } catch (HyperparameterException e) {
          counts[1]++;
          continue;
        }
        counts[0]++;
        try {
          trainOneStep(hp, random.nextLong());
        } catch (RuntimeException | AssertionError e) {
          failures.add(e + "\n    for " + raw);
        }
      }
    });
    System.out.printf(Locale.ROOT,
        "fuzz valid hyperparameter sets: %d cases, %d accepted and trained, %d rejected by the"
            + " validator, %d crashed%n", CASES, counts[0], counts[1], failures.size());
    assertTrue(failures.isEmpty(),
        failures.size() + " accepted sets crashed:\n" + String.join("\n", failures));
    assertTrue(counts[0] > CASES / 2, "the generator should mostly draw valid sets: " + counts[0]);
  }

  /** One optimizer step on the first batch of a 20-record epoch, then an inference forward. */
  static void trainOneStep(Hyperparameters hp, long seed) {
    PairDataset data = randomData(hp, 20, new SplittableRandom(seed));
    EpochPlan plan = BatchPlanner.forTraining(data, hp, seed).plan(0);
    Batch batch = new BatchAssembler(data).assemble(plan, 0);
    PairLoss loss = PairLoss.forOutput(hp.outputLayer());
    Engine.getInstance().setRandomSeed((int) seed);
    try (NDManager manager = NDManager.newBaseManager();
        TrainingOptimizer optimizer =
            OptimizerFactory.create(hp.optimizer(), hp.learningRate(), hp.weightDecay())) {
      Object2VecBlock block = TrainedModel.newInitializedBlock(hp, manager);
      ParameterStore parameters = new ParameterStore(manager, false);
      try (NDManager batchManager = manager.newSubManager()) {
        NDList inputs = BatchTensors.inputs(batchManager, batch);
        NDArray labels = BatchTensors.labels(batchManager, batch);
        double value;
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
          NDArray output = block.forward(parameters, inputs, true).singletonOrThrow();
          NDArray mean = loss.mean(output, labels);
          collector.backward(mean);
          value = mean.toType(DataType.FLOAT64, false).getDouble();
        }
        assertTrue(Double.isFinite(value), "first loss " + value);
        optimizer.step(block.getParameters());
        NDArray predicted = block.forward(parameters, inputs, false).singletonOrThrow();
        assertTrue(predicted.getShape().get(0) == batch.size()
                && predicted.getShape().get(1) == hp.outputWidth(),
            "inference output shape " + predicted.getShape());
      }
    }
  }

  // ---- generators --------------------------------------------------------------------------

  static Map<String, Object> randomSmallHyperparameters(SplittableRandom random) {
    Map<String, Object> raw = new LinkedHashMap<>();
    int encDim = 4 + random.nextInt(13);
    raw.put("enc_dim", encDim);
    int vocab0 = 2 + random.nextInt(49);
    int tokenDim0 = 2 + random.nextInt(15);
    putEncoder(raw, 0, random, vocab0, tokenDim0);
    boolean tied = random.nextInt(4) == 0;
    raw.put("tied_token_embedding_weight", tied);
    if (random.nextBoolean()) {
      raw.put("enc1_network", "enc0");
    } else {
      boolean sameTable = tied && random.nextInt(4) > 0;
      putEncoder(raw, 1, random, sameTable ? vocab0 : 2 + random.nextInt(49),
          sameTable ? tokenDim0 : 2 + random.nextInt(15));
    }
    List<String> ops = new ArrayList<>(
        Arrays.stream(ComparatorOp.values()).map(ComparatorOp::key).toList());
    Collections.shuffle(ops, new Random(random.nextLong()));
    raw.put("comparator_list", String.join(", ", ops.subList(0, 1 + random.nextInt(ops.size()))));
    raw.put("mlp_layers", random.nextInt(8) == 0 ? random.nextInt(11) : random.nextInt(3));
    raw.put("mlp_dim", 2 + random.nextInt(15));
    raw.put("mlp_activation", pick(MlpActivation.values(), random).key());
    OutputLayer output = pick(OutputLayer.values(), random);
    raw.put("output_layer", output.key());
    raw.put("num_classes", 2 + random.nextInt(29));
    double[] dropouts = {0, 0, 0.5, 1.0, random.nextDouble()};
    raw.put("dropout", dropouts[random.nextInt(dropouts.length)]);
    boolean sparse = random.nextInt(4) == 0;
    raw.put("token_embedding_storage_type", sparse ? "row_sparse" : "dense");
    OptimizerKind optimizer = pick(OptimizerKind.values(), random);
    raw.put("optimizer", optimizer.key());
    raw.put("learning_rate", random.nextBoolean() ? 1e-6 + random.nextDouble() * 0.1
        : random.nextBoolean() ? 1.0 : 1e-6);
    raw.put("weight_decay", random.nextInt(3) == 0 ? random.nextDouble() * 10 : 0);
    raw.put("mini_batch_size", 1 + random.nextInt(8));
    raw.put("negative_sampling_rate", random.nextInt(4) == 0 ? 1 + random.nextInt(3) : 0);
    raw.put("bucket_width", random.nextInt(3) == 0 ? random.nextInt(5) : 0);
    raw.put("epochs", 1);
    return raw;
  }

  private static void putEncoder(
      Map<String, Object> raw, int side, SplittableRandom random, int vocab, int tokenDim) {
    Network network = pick(Network.values(), random);
    raw.put("enc" + side + "_network", network.key());
    raw.put("enc" + side + "_vocab_size", vocab);
    raw.put("enc" + side + "_max_seq_len", 1 + random.nextInt(10));
    raw.put("enc" + side + "_token_embedding_dim", tokenDim);
    raw.put("enc" + side + "_layers",
        random.nextInt(3) == 0 ? "auto" : Integer.toString(1 + random.nextInt(4)));
    raw.put("enc" + side + "_cnn_filter_width", 1 + random.nextInt(9));
  }

  private static <E> E pick(E[] values, SplittableRandom random) {
    return values[random.nextInt(values.length)];
  }

  /** {@code size} records whose ids, lengths and labels fit {@code hp}. */
  static PairDataset randomData(Hyperparameters hp, int size, SplittableRandom random) {
    PairDataset.Builder builder = PairDataset.builder(DataSchema.forTraining(hp));
    for (int r = 0; r < size; r++) {
      int[][] ids = new int[2][];
      for (int side = 0; side < 2; side++) {
        int length = 1 + random.nextInt(hp.encoder(side).maxSeqLen());
        ids[side] = random.ints(length, 0, hp.encoder(side).vocabSize()).toArray();
      }
      float label = hp.outputLayer() == OutputLayer.SOFTMAX
          ? random.nextInt(hp.numClasses())
          : (float) (random.nextDouble() * 4 - 2);
      builder.add(ids[0], ids[1], label);
    }
    return builder.build();
  }
}
