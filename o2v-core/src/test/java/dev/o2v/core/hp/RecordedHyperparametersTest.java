package dev.o2v.core.hp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a model directory records about its hyperparameters must load back to the same resolved
 * settings, whatever rule derived them: random valid sets (seeded) that exercise every derivation
 * go through the recorded JSON file and back.
 */
class RecordedHyperparametersTest {

  private static final int CASES = 2000;

  /** The derivation and forcing rules the generator must exercise. */
  enum Rule {
    POOLED_TOKEN_DIM_FORCED,
    POOLED_ENC_DIM_ABOVE_TOKEN_DIM_RANGE,
    POOLED_TOKEN_DIM_GIVEN_EQUAL_TO_ENC_DIM_ABOVE_RANGE,
    ENC1_COPIES_ENC0,
    ENC1_KEYS_IGNORED_WHEN_COPYING,
    LAYERS_AUTO,
    TIED_TOKEN_EMBEDDINGS,
    ROW_SPARSE_TURNS_BUCKETING_OFF,
    SAGEMAKER_INTERNAL_KEYS,
    DEFAULTS_FILLED_IN,
    STRING_VALUES,
    PRETRAINED_FILES
  }

  @TempDir Path dir;

  @Test
  void everyRandomValidSetLoadsBackFromWhatAModelDirectoryRecords() throws IOException {
    SplittableRandom random = new SplittableRandom(20261205L);
    Map<Rule, Integer> exercised = new EnumMap<>(Rule.class);
    List<String> failures = new ArrayList<>();
    Path file = dir.resolve("hyperparameters.json");
    for (int i = 0; i < CASES; i++) {
      Map<String, Object> raw = randomValidSet(random);
      List<String> warnings = new ArrayList<>();
      Hyperparameters hp;
      try {
        hp = new HyperparameterParser(warnings::add).parse(raw);
      } catch (HyperparameterException e) {
        failures.add("generated set rejected: " + e.getMessage() + "\n    for " + raw);
        continue;
      }
      rulesOf(raw, hp, warnings).forEach(rule -> exercised.merge(rule, 1, Integer::sum));
      String recorded;
      try {
        recorded = HyperparameterCodec.toCanonicalJson(hp);
      } catch (IllegalStateException e) {
        failures.add("not recordable: " + e.getMessage() + "\n    for " + raw);
        continue;
      }
      Files.writeString(file, recorded);
      List<String> loadWarnings = new ArrayList<>();
      try {
        Hyperparameters loaded =
            new HyperparameterParser(loadWarnings::add).parse(HyperparameterCodec.readFile(file));
        if (!loaded.equals(hp) || !loadWarnings.isEmpty()) {
          failures.add("loaded " + loaded + " with warnings " + loadWarnings
              + "\n    trained " + hp + "\n    for " + raw);
        } else if (!HyperparameterCodec.toCanonicalJson(loaded).equals(recorded)) {
          failures.add("recording the loaded value changed it\n    for " + raw);
        }
      } catch (HyperparameterException e) {
        failures.add("recorded file refused: " + e.getMessage() + "\n    for " + raw);
      }
    }
    System.out.printf(Locale.ROOT, "recorded hyperparameter round trip: %d cases, rules %s%n",
        CASES, exercised);
    assertTrue(failures.isEmpty(), failures.size() + " of " + CASES + " sets failed, first: "
        + failures.stream().limit(3).toList());
    for (Rule rule : Rule.values()) {
      int count = exercised.getOrDefault(rule, 0);
      assertTrue(count >= 20, rule + " exercised only " + count + " times: " + exercised);
    }
  }

  @Test
  void aRecordWrittenBeforeTheFixWithTheForcedPooledTokenDimStillLoads() {
    Map<String, Object> raw = new LinkedHashMap<>(minimalPooled(2048));
    raw.put("enc0_token_embedding_dim", "2048");
    raw.put("enc1_token_embedding_dim", "2048");
    List<String> warnings = new ArrayList<>();
    Hyperparameters hp = new HyperparameterParser(warnings::add).parse(raw);
    assertEquals(2048, hp.enc0().tokenEmbeddingDim());
    assertEquals(2048, hp.enc1().tokenEmbeddingDim());
    assertEquals(List.of(), warnings, "nothing was changed, so nothing to warn about");
  }

  @Test
  void aTokenDimAboveItsRangeIsStillRefusedWhenItIsNotTheForcedPooledValue() {
    Map<String, Object> differs = new LinkedHashMap<>(minimalPooled(2048));
    differs.put("enc0_token_embedding_dim", "1500");
    HyperparameterException e = assertThrows(HyperparameterException.class,
        () -> new HyperparameterParser(w -> {}).parse(differs));
    assertEquals(List.of("enc0_token_embedding_dim must be in [2, 1000], found 1500"),
        e.violations());

    Map<String, Object> hcnn = new LinkedHashMap<>(minimalPooled(2048));
    hcnn.put("enc1_network", "hcnn");
    hcnn.put("enc1_token_embedding_dim", "2048");
    e = assertThrows(HyperparameterException.class,
        () -> new HyperparameterParser(w -> {}).parse(hcnn));
    assertEquals(List.of("enc1_token_embedding_dim must be in [2, 1000], found 2048"),
        e.violations());
  }

  @Test
  void recordingSettingsTheLoaderWouldRefuseFailsAtOnce() {
    Hyperparameters valid = new HyperparameterParser(w -> {}).parse(minimalPooled(16));
    EncoderSpec tooWide =
        new EncoderSpec(Network.HCNN, 10, 4, 1200, 4, 3, Optional.empty(), Optional.empty(), true);
    Hyperparameters unloadable =
        new Hyperparameters(valid.encDim(), tooWide, valid.enc1(), false, valid.comparators(),
            valid.mlpLayers(), valid.mlpDim(), valid.mlpActivation(), valid.outputLayer(),
            valid.numClasses(), valid.dropout(), valid.tiedTokenEmbedding(),
            valid.embeddingStorage(), valid.optimizer(), valid.learningRate(),
            valid.weightDecay(), valid.miniBatchSize(), valid.epochs(),
            valid.earlyStoppingPatience(), valid.earlyStoppingTolerance(),
            valid.negativeSamplingRate(), valid.bucketWidth());
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> HyperparameterCodec.toCanonicalJson(unloadable));
    assertTrue(e.getMessage().contains("enc0_token_embedding_dim"), e.getMessage());
  }

  private static Map<String, Object> minimalPooled(int encDim) {
    Map<String, Object> raw = new LinkedHashMap<>();
    raw.put("enc0_network", "pooled_embedding");
    raw.put("enc1_network", "pooled_embedding");
    raw.put("enc0_vocab_size", "944");
    raw.put("enc1_vocab_size", "1684");
    raw.put("enc0_max_seq_len", "1");
    raw.put("enc1_max_seq_len", "1");
    raw.put("enc_dim", Integer.toString(encDim));
    return raw;
  }

  // ---- generator ---------------------------------------------------------------------------

  private static final String[] NETWORKS = {"hcnn", "bilstm", "pooled_embedding"};
  private static final String[] FILE_NAMES = {
    "glove.840B-trim.txt", "vectors_300d.txt", "emb.txt", "v-1.json", "vocab.json", "V.JSON"
  };

  /** A random set the validator must accept, written the ways users write them. */
  static Map<String, Object> randomValidSet(SplittableRandom r) {
    Map<String, Object> raw = new LinkedHashMap<>();
    int encDim = 4096;
    if (r.nextInt(5) > 0) {
      encDim = r.nextInt(4) == 0 ? 1001 + r.nextInt(9000) : 4 + r.nextInt(1200);
      raw.put("enc_dim", value(r, encDim));
    }
    String network0 = NETWORKS[r.nextInt(NETWORKS.length)];
    int vocab0 = 2 + r.nextInt(r.nextBoolean() ? 50 : 3_000_000);
    int tokenDim0 = 2 + r.nextInt(999);
    putEncoder(raw, r, 0, network0, vocab0, tokenDim0, encDim, false);
    boolean tied = r.nextInt(4) == 0;
    if (tied) {
      raw.put("tied_token_embedding_weight", value(r, true));
    } else {
      putMaybe(raw, r, "tied_token_embedding_weight", false, false);
    }
    boolean copy = r.nextBoolean();
    if (copy) {
      putMaybe(raw, r, "enc1_network", "enc0", "enc0");
      // Keys a copying encoder 1 ignores, sometimes different from enc0's.
      for (String suffix : List.of("vocab_size", "max_seq_len", "token_embedding_dim",
          "layers", "cnn_filter_width")) {
        if (r.nextInt(4) == 0) {
          int value = suffix.equals("vocab_size") ? 2 + r.nextInt(100)
              : suffix.equals("layers") ? 1 + r.nextInt(4)
              : suffix.equals("cnn_filter_width") ? 1 + r.nextInt(9)
              : 2 + r.nextInt(999);
          raw.put("enc1_" + suffix, value(r, value));
        }
      }
    } else {
      String network1 = NETWORKS[r.nextInt(NETWORKS.length)];
      int vocab1 = tied ? vocab0 : 2 + r.nextInt(100);
      int tokenDim1 = tokenDim0;
      if (tied && (network0.equals("pooled_embedding") != network1.equals("pooled_embedding"))) {
        // Tied tables need equal resolved widths: a pooled side resolves to enc_dim.
        network1 = network0;
      }
      if (!tied) {
        tokenDim1 = 2 + r.nextInt(999);
      }
      putEncoder(raw, r, 1, network1, vocab1, tokenDim1, encDim, tied);
      raw.put("enc1_network", value(r, network1));
    }
    putMaybe(raw, r, "comparator_list", comparators(r), "hadamard, concat, abs_diff");
    putMaybe(raw, r, "mlp_layers", r.nextInt(11), 2);
    putMaybe(raw, r, "mlp_dim", 2 + r.nextInt(9999), 512);
    putMaybe(raw, r, "mlp_activation", pick(r, "linear", "tanh", "relu"), "linear");
    putMaybe(raw, r, "output_layer", pick(r, "softmax", "mean_squared_error"), "softmax");
    putMaybe(raw, r, "num_classes", 2 + r.nextInt(29), 2);
    putMaybe(raw, r, "dropout", r.nextBoolean() ? 0.0 : r.nextDouble(), 0.0);
    boolean rowSparse = r.nextInt(3) == 0;
    putMaybe(raw, r, "token_embedding_storage_type", rowSparse ? "row_sparse" : "dense",
        "dense");
    putMaybe(raw, r, "optimizer",
        rowSparse ? pick(r, "adam", "adagrad", "sgd")
            : pick(r, "adam", "adagrad", "sgd", "adadelta", "rmsprop"), "adam");
    putMaybe(raw, r, "learning_rate", 1e-6 + r.nextDouble() * (1 - 1e-6), 0.0004);
    putMaybe(raw, r, "weight_decay", r.nextBoolean() ? 0.0 : r.nextDouble() * 10000, 0.0);
    putMaybe(raw, r, "mini_batch_size", 1 + r.nextInt(10000), 32);
    putMaybe(raw, r, "epochs", 1 + r.nextInt(100), 30);
    putMaybe(raw, r, "early_stopping_patience", 1 + r.nextInt(5), 3);
    putMaybe(raw, r, "early_stopping_tolerance", 1e-6 + r.nextDouble() * (0.1 - 1e-6), 0.01);
    putMaybe(raw, r, "negative_sampling_rate", r.nextInt(101), 0);
    putMaybe(raw, r, "bucket_width", r.nextBoolean() ? 0 : r.nextInt(101), 0);
    if (r.nextInt(3) == 0) {
      raw.put("_kvstore", "device");
      raw.put("_num_gpus", "auto");
      raw.put("_num_kv_servers", "auto");
    }
    return raw;
  }

  private static void putEncoder(Map<String, Object> raw, SplittableRandom r, int side,
      String network, int vocab, int tokenDim, int encDim, boolean tiedToEnc0) {
    String prefix = "enc" + side + "_";
    if (side == 0 && (!network.equals("hcnn") || r.nextBoolean())) {
      raw.put(prefix + "network", value(r, network)); // hcnn is the default when left out
    }
    raw.put(prefix + "vocab_size", value(r, vocab));
    raw.put(prefix + "max_seq_len", value(r, 1 + r.nextInt(5000)));
    boolean pooled = network.equals("pooled_embedding");
    if (pooled && encDim > 1000 && r.nextInt(3) == 0) {
      // As a model directory written before round trips were guaranteed records it.
      raw.put(prefix + "token_embedding_dim", value(r, encDim));
    } else if (tiedToEnc0) {
      // Tied tables need equal widths: repeat enc0's value, or leave both to the default.
      if (raw.containsKey("enc0_token_embedding_dim")) {
        raw.put(prefix + "token_embedding_dim", raw.get("enc0_token_embedding_dim"));
      }
    } else {
      putMaybe(raw, r, prefix + "token_embedding_dim", tokenDim, 300);
    }
    putMaybe(raw, r, prefix + "layers", r.nextBoolean() ? "auto" : 1 + r.nextInt(4), "auto");
    putMaybe(raw, r, prefix + "cnn_filter_width", 1 + r.nextInt(9), 3);
    if (r.nextInt(5) == 0) {
      raw.put(prefix + "pretrained_embedding_file", FILE_NAMES[r.nextInt(3)]);
      raw.put(prefix + "vocab_file", FILE_NAMES[3 + r.nextInt(3)]);
      putMaybe(raw, r, prefix + "freeze_pretrained_embedding", r.nextBoolean(), true);
    } else if (r.nextInt(5) == 0) {
      raw.put(prefix + "vocab_file", FILE_NAMES[3 + r.nextInt(3)]);
    }
  }

  /** Puts {@code value}, or leaves the key out (its default applies) one time in four. */
  private static void putMaybe(
      Map<String, Object> raw, SplittableRandom r, String key, Object value, Object dflt) {
    if (r.nextInt(4) > 0) {
      raw.put(key, value(r, value));
    }
  }

  /** The value as a JSON-like value or in SageMaker's string form. */
  private static Object value(SplittableRandom r, Object value) {
    if (r.nextBoolean()) {
      return value;
    }
    if (value instanceof Boolean flag) {
      return r.nextBoolean() ? (flag ? "True" : "False") : flag.toString();
    }
    return value.toString();
  }

  private static String comparators(SplittableRandom r) {
    List<String> ops = new ArrayList<>(List.of("hadamard", "concat", "abs_diff"));
    List<String> chosen = new ArrayList<>();
    int count = 1 + r.nextInt(ops.size());
    for (int i = 0; i < count; i++) {
      chosen.add(ops.remove(r.nextInt(ops.size())));
    }
    return String.join(r.nextBoolean() ? ", " : ",", chosen);
  }

  private static String pick(SplittableRandom r, String... choices) {
    return choices[r.nextInt(choices.length)];
  }

  private static List<Rule> rulesOf(
      Map<String, Object> raw, Hyperparameters hp, List<String> warnings) {
    List<Rule> rules = new ArrayList<>();
    String all = String.join("\n", warnings);
    for (int side = 0; side < 2; side++) {
      EncoderSpec spec = hp.encoder(side);
      if (spec.network() != Network.POOLED_EMBEDDING) {
        continue;
      }
      if (hp.encDim() > 1000) {
        rules.add(Rule.POOLED_ENC_DIM_ABOVE_TOKEN_DIM_RANGE);
      }
      Object given = raw.get("enc" + side + "_token_embedding_dim");
      if (given != null && String.valueOf(given).equals(Integer.toString(hp.encDim()))
          && hp.encDim() > 1000) {
        rules.add(Rule.POOLED_TOKEN_DIM_GIVEN_EQUAL_TO_ENC_DIM_ABOVE_RANGE);
      }
    }
    if (all.contains("pooled_embedding averages token embeddings")) {
      rules.add(Rule.POOLED_TOKEN_DIM_FORCED);
    }
    if (hp.enc1IsEnc0()) {
      rules.add(Rule.ENC1_COPIES_ENC0);
    }
    if (all.contains("enc1_network=enc0 copies every enc0 setting")) {
      rules.add(Rule.ENC1_KEYS_IGNORED_WHEN_COPYING);
    }
    if (List.of("enc0_layers", "enc1_layers").stream()
        .anyMatch(key -> !raw.containsKey(key) || "auto".equals(raw.get(key)))) {
      rules.add(Rule.LAYERS_AUTO);
    }
    if (hp.tiedTokenEmbedding()) {
      rules.add(Rule.TIED_TOKEN_EMBEDDINGS);
    }
    if (all.contains("row_sparse token embeddings turn bucketing off")) {
      rules.add(Rule.ROW_SPARSE_TURNS_BUCKETING_OFF);
    }
    if (all.contains("SageMaker-internal")) {
      rules.add(Rule.SAGEMAKER_INTERNAL_KEYS);
    }
    if (raw.size() - (raw.containsKey("_kvstore") ? 3 : 0) < HyperparameterCatalog.names().size()) {
      rules.add(Rule.DEFAULTS_FILLED_IN);
    }
    if (raw.values().stream().anyMatch(v -> v instanceof String text && !text.equals("auto"))) {
      rules.add(Rule.STRING_VALUES);
    }
    if (hp.enc0().pretrainedEmbeddingFile().isPresent()
        || hp.enc1().pretrainedEmbeddingFile().isPresent()) {
      rules.add(Rule.PRETRAINED_FILES);
    }
    return rules;
  }
}
