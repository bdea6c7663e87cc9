package dev.o2v.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.o2v.core.data.PairDataset;
import dev.o2v.core.hp.HyperparameterCodec;
import dev.o2v.core.hp.HyperparameterException;
import dev.o2v.core.hp.Hyperparameters;
import dev.o2v.core.hp.Network;
import dev.o2v.core.io.BulkDataOutput;
import dev.o2v.encoders.Object2VecBlock;
import dev.o2v.train.metrics.MetricLines;
import dev.o2v.train.model.CheckpointStore;
import dev.o2v.train.model.ModelFormatException;
import dev.o2v.train.model.ModelWriter;
import dev.o2v.train.model.TrainedModel;
import dev.o2v.train.optim.OptimizerFactory;
import dev.o2v.train.optim.TrainingOptimizer;
import dev.o2v.train.progress.ProgressListener;
import dev.o2v.train.runtime.Versions;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A model directory written by training loads again, whatever rule derived its settings. */
@Tag("engine")
class ModelDirectoryReloadTest {

  private static final int RANDOM_MODELS = 24;

  @TempDir Path dir;

  /** The movie notebook's regression settings as SageMaker receives them, at a tiny vocabulary. */
  static Map<String, Object> movieRegression(int encDim) {
    Map<String, Object> raw = new LinkedHashMap<>();
    raw.put("_kvstore", "device");
    raw.put("_num_gpus", "auto");
    raw.put("_num_kv_servers", "auto");
    raw.put("bucket_width", "0");
    raw.put("early_stopping_patience", "3");
    raw.put("early_stopping_tolerance", "0.01");
    raw.put("enc0_cnn_filter_width", "3");
    raw.put("enc0_layers", "auto");
    raw.put("enc0_max_seq_len", "1");
    raw.put("enc0_network", "pooled_embedding");
    raw.put("enc0_token_embedding_dim", "300");
    raw.put("enc0_vocab_size", "9");
    raw.put("enc1_layers", "auto");
    raw.put("enc1_max_seq_len", "1");
    raw.put("enc1_network", "pooled_embedding");
    raw.put("enc1_token_embedding_dim", "300");
    raw.put("enc1_vocab_size", "7");
    raw.put("enc_dim", Integer.toString(encDim));
    raw.put("epochs", "1");
    raw.put("learning_rate", "0.001");
    raw.put("mini_batch_size", "16");
    raw.put("mlp_activation", "tanh");
    raw.put("mlp_dim", "256");
    raw.put("mlp_layers", "1");
    raw.put("num_classes", "2");
    raw.put("optimizer", "adam");
    raw.put("output_layer", "mean_squared_error");
    return raw;
  }

  @ParameterizedTest
  @ValueSource(ints = {1024, 2048})
  void aPooledModelWithEncDimAboveTheTokenDimRangeTrainsAndLoadsAgain(int encDim)
      throws IOException {
    Hyperparameters hp = HyperparameterCodec.parse(movieRegression(encDim));
    PairDataset train =
        ValidHyperparameterFuzzTest.randomData(hp, 40, new SplittableRandom(encDim));
    Path modelDir = dir.resolve("model");
    new Trainer(hp, new TrainingData(train, Optional.empty(), Optional.empty()),
        new TrainingOptions(modelDir, Optional.empty(), Device.cpu(), 3, false),
        new MetricLines(new PrintStream(OutputStream.nullOutputStream())),
        ProgressListener.silent())
        .run();

    Map<?, ?> recorded = new ObjectMapper()
        .readValue(modelDir.resolve("hyperparameters.json").toFile(), Map.class);
    assertEquals(Integer.toString(encDim), recorded.get("enc0_token_embedding_dim"),
        "the model records the width its table has");
    try (TrainedModel model = TrainedModel.load(modelDir, Device.cpu())) {
      assertEquals(hp, model.hyperparameters(), "loaded settings");
      for (int side = 0; side < 2; side++) {
        assertEquals(encDim, model.block().tokenEmbedding(side).embeddingDim(), "side " + side);
      }
    }
  }

  @Test
  void randomBuiltModelsWrittenToAModelDirectoryLoadBackWithTheSameWeights() throws IOException {
    SplittableRandom random = new SplittableRandom(1205L);
    List<String> failures = new ArrayList<>();
    int pooledAboveRange = 0;
    for (int i = 0; i < RANDOM_MODELS; i++) {
      Map<String, Object> raw = ValidHyperparameterFuzzTest.randomSmallHyperparameters(random);
      if (random.nextInt(3) == 0) {
        // A pooled table wider than the token dim key's range, as the movie notebook trains.
        raw.put("enc0_network", "pooled_embedding");
        raw.put("enc_dim", 1001 + random.nextInt(100));
      }
      Hyperparameters hp;
      try {
        hp = HyperparameterCodec.parse(raw);
      } catch (HyperparameterException e) {
        continue;
      }
      if (hp.encDim() > 1000 && (hp.enc0().network() == Network.POOLED_EMBEDDING
          || hp.enc1().network() == Network.POOLED_EMBEDDING)) {
        pooledAboveRange++;
      }
      Path modelDir = dir.resolve("model-" + i);
      Map<String, float[]> written;
      try (NDManager manager = NDManager.newBaseManager()) {
        Object2VecBlock block = TrainedModel.newInitializedBlock(hp, manager);
        written = StepFixtures.weights(block);
        Path params = dir.resolve("weights-" + i + ".params");
        try (OutputStream out = Files.newOutputStream(params)) {
          block.saveParameters(BulkDataOutput.wrap(out));
        }
        ModelWriter.write(modelDir, hp, params, Optional.empty(), TrainingHistory.empty(), Optional.empty(),
            Versions.current());
      }
      try (TrainedModel model = TrainedModel.load(modelDir, Device.cpu())) {
        if (!model.hyperparameters().equals(hp)) {
          failures.add("loaded " + model.hyperparameters() + " for " + raw);
          continue;
        }
        Map<String, float[]> loaded = StepFixtures.weights(model.block());
        for (Map.Entry<String, float[]> e : written.entrySet()) {
          assertArrayEquals(e.getValue(), loaded.get(e.getKey()), 0f, e.getKey() + " of " + raw);
        }
      } catch (ModelFormatException e) {
        failures.add(e.getMessage() + " for " + raw);
      }
    }
    System.out.printf(Locale.ROOT, "model directory reload: %d random models, %d pooled with"
        + " enc_dim above 1000, %d failed%n", RANDOM_MODELS, pooledAboveRange, failures.size());
    assertTrue(failures.isEmpty(), failures.toString());
    assertTrue(pooledAboveRange >= 3, "pooled models with enc_dim > 1000: " + pooledAboveRange);
  }

  @Test
  void resumeAcceptsTheSameSettingsWrittenDifferentlyAndRefusesOtherSettings()
      throws IOException {
    Hyperparameters hp = HyperparameterCodec.parse(movieRegression(1024));
    String recorded = HyperparameterCodec.toCanonicalJson(hp);
    String sameSettings = new ObjectMapper().writeValueAsString(movieRegression(1024));
    Map<String, Object> otherRaw = movieRegression(1024);
    otherRaw.put("learning_rate", "0.002");
    String otherSettings = new ObjectMapper().writeValueAsString(otherRaw);
    CheckpointStore store = new CheckpointStore(dir);
    store.prepare();
    try (NDManager manager = NDManager.newBaseManager();
        TrainingOptimizer optimizer = OptimizerFactory.create(hp.optimizer(), 0.001, 0)) {
      Object2VecBlock block = TrainedModel.newInitializedBlock(hp, manager);
      TrainingState fresh = TrainingState.fresh();
      TrainingState afterOneEpoch =
          new TrainingState(1, fresh.stopping(), fresh.history(), fresh.bestParameters());
      store.save(afterOneEpoch, block, optimizer, recorded, 5);
      assertTrue(store.restore(block, optimizer, manager, sameSettings, 5).isPresent(),
          "same settings in SageMaker's raw form resume");
      ModelFormatException e = assertThrows(ModelFormatException.class,
          () -> store.restore(block, optimizer, manager, otherSettings, 5));
      assertTrue(
          e.getMessage().contains("other values of learning_rate; --resume needs the same"),
          e.getMessage());
    }
  }
}
