package dev.o2v.core.hp;

import static dev.o2v.core.hp.HpFixtures.independentEnc1;
import static dev.o2v.core.hp.HpFixtures.minimal;
import static dev.o2v.core.hp.HpFixtures.parse;
import static dev.o2v.core.hp.HpFixtures.with;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class HyperparameterParserTest {

  /** The single violation that {@code raw} produces. */
  static String onlyViolation(Map<String, Object> raw) {
    HyperparameterException e = assertThrows(HyperparameterException.class, () -> parse(raw));
    assertEquals(1, e.violations().size(), "violations: " + e.violations());
    return e.violations().get(0);
  }

  /** Base input in which {@code key} is used (enc1 keys need an independent encoder 1). */
  static Map<String, Object> baseFor(String key) {
    return key.startsWith("enc1_") ? independentEnc1() : minimal();
  }

  @Test
  void tokenTableElementsCountATiedTableOnce() {
    Map<String, Object> untied = with(independentEnc1(),
        "enc0_token_embedding_dim", "64", "enc1_token_embedding_dim", "32");
    assertEquals(1000L * 64 + 2000L * 32, parse(untied).tokenTableElements());
    Map<String, Object> tied = with(minimal(), "enc1_network", "enc0",
        "enc0_token_embedding_dim", "64", "tied_token_embedding_weight", "true");
    assertEquals(1000L * 64, parse(tied).tokenTableElements());
    Map<String, Object> large = with(minimal(), "enc0_vocab_size", "3000000",
        "enc0_token_embedding_dim", "128", "enc1_network", "enc0");
    assertEquals(2 * 3_000_000L * 128, parse(large).tokenTableElements(), "no int overflow");
  }

  @Test
  void defaultsApplyWhenOnlyRequiredKeysAreGiven() {
    Hyperparameters hp = parse(minimal());
    EncoderSpec expected =
        new EncoderSpec(
            Network.HCNN, 1000, 20, 300, 4, 3, Optional.empty(), Optional.empty(), true);
    assertEquals(expected, hp.enc0());
    assertEquals(expected, hp.enc1());
    assertTrue(hp.enc1IsEnc0());
    assertEquals(4096, hp.encDim());
    assertEquals(List.of(ComparatorOp.HADAMARD, ComparatorOp.CONCAT, ComparatorOp.ABS_DIFF),
        hp.comparators());
    assertEquals(2, hp.mlpLayers());
    assertEquals(512, hp.mlpDim());
    assertEquals(MlpActivation.LINEAR, hp.mlpActivation());
    assertEquals(OutputLayer.SOFTMAX, hp.outputLayer());
    assertEquals(2, hp.numClasses());
    assertEquals(0.0, hp.dropout());
    assertEquals(false, hp.tiedTokenEmbedding());
    assertEquals(EmbeddingStorage.DENSE, hp.embeddingStorage());
    assertEquals(OptimizerKind.ADAM, hp.optimizer());
    assertEquals(0.0004, hp.learningRate());
    assertEquals(0.0, hp.weightDecay());
    assertEquals(32, hp.miniBatchSize());
    assertEquals(30, hp.epochs());
    assertEquals(3, hp.earlyStoppingPatience());
    assertEquals(0.01, hp.earlyStoppingTolerance());
    assertEquals(0, hp.negativeSamplingRate());
    assertEquals(0, hp.bucketWidth());
  }

  @ParameterizedTest(name = "{0} in [{1}, {2}]")
  @CsvSource({
    "enc0_max_seq_len, 1, 5000",
    "enc0_vocab_size, 2, 3000000",
    "bucket_width, 0, 100",
    "early_stopping_patience, 1, 5",
    "enc_dim, 4, 10000",
    "enc0_cnn_filter_width, 1, 9",
    "enc0_token_embedding_dim, 2, 1000",
    "enc1_cnn_filter_width, 1, 9",
    "enc1_max_seq_len, 1, 5000",
    "enc1_token_embedding_dim, 2, 1000",
    "enc1_vocab_size, 2, 3000000",
    "epochs, 1, 100",
    "mini_batch_size, 1, 10000",
    "mlp_dim, 2, 10000",
    "mlp_layers, 0, 10",
    "negative_sampling_rate, 0, 100",
    "num_classes, 2, 30"
  })
  void integerKeysAcceptTheirBoundsAndRejectOneStepOutside(String key, long min, long max) {
    for (long inside : new long[] {min, max}) {
      Hyperparameters hp = parse(with(baseFor(key), key, Long.toString(inside)));
      assertEquals(Long.toString(inside), hp.toCanonicalMap().get(key), key + "=" + inside);
    }
    String range = "[" + min + ", " + max + "]";
    for (long outside : new long[] {min - 1, max + 1}) {
      assertEquals(key + " must be in " + range + ", found " + outside,
          onlyViolation(with(baseFor(key), key, Long.toString(outside))));
    }
  }

  @ParameterizedTest(name = "{0} in [{1}, {2}]")
  @CsvSource({
    "dropout, 0, 1",
    "early_stopping_tolerance, 0.000001, 0.1",
    "learning_rate, 0.000001, 1",
    "weight_decay, 0, 10000"
  })
  void floatKeysAcceptTheirBoundsAndRejectTheNextDoubleOutside(
      String key, String min, String max) {
    for (String inside : new String[] {min, max}) {
      Hyperparameters hp = parse(with(minimal(), key, inside));
      assertEquals(inside, hp.toCanonicalMap().get(key), key + "=" + inside);
    }
    double below = Math.nextDown(Double.parseDouble(min));
    double above = Math.nextUp(Double.parseDouble(max));
    for (double outside : new double[] {below, above}) {
      String text = Double.toString(outside);
      assertEquals(key + " must be in [" + min + ", " + max + "], found " + text,
          onlyViolation(with(minimal(), key, text)));
    }
  }

  static Stream<Arguments> enumValues() {
    return Stream.of(
        Arguments.of("enc0_network", "hcnn", Network.HCNN),
        Arguments.of("enc0_network", "bilstm", Network.BILSTM),
        Arguments.of("enc0_network", "pooled_embedding", Network.POOLED_EMBEDDING),
        Arguments.of("mlp_activation", "tanh", MlpActivation.TANH),
        Arguments.of("mlp_activation", "relu", MlpActivation.RELU),
        Arguments.of("mlp_activation", "linear", MlpActivation.LINEAR),
        Arguments.of("optimizer", "adadelta", OptimizerKind.ADADELTA),
        Arguments.of("optimizer", "adagrad", OptimizerKind.ADAGRAD),
        Arguments.of("optimizer", "adam", OptimizerKind.ADAM),
        Arguments.of("optimizer", "sgd", OptimizerKind.SGD),
        Arguments.of("optimizer", "rmsprop", OptimizerKind.RMSPROP),
        Arguments.of("output_layer", "softmax", OutputLayer.SOFTMAX),
        Arguments.of("output_layer", "mean_squared_error", OutputLayer.MEAN_SQUARED_ERROR),
        Arguments.of("token_embedding_storage_type", "dense", EmbeddingStorage.DENSE),
        Arguments.of("token_embedding_storage_type", "row_sparse", EmbeddingStorage.ROW_SPARSE));
  }

  @ParameterizedTest(name = "{0}={1}")
  @MethodSource("enumValues")
  void everyEnumValueParsesToItsConstantInAnyCase(String key, String text, Object expected) {
    for (String form : List.of(text, text.toUpperCase(java.util.Locale.ROOT))) {
      Hyperparameters hp = parse(with(minimal(), key, form));
      Object actual =
          switch (key) {
            case "enc0_network" -> hp.enc0().network();
            case "mlp_activation" -> hp.mlpActivation();
            case "optimizer" -> hp.optimizer();
            case "output_layer" -> hp.outputLayer();
            default -> hp.embeddingStorage();
          };
      assertEquals(expected, actual, key + "=" + form);
    }
  }

  @ParameterizedTest
  @CsvSource({"hcnn, HCNN", "bilstm, BILSTM", "pooled_embedding, POOLED_EMBEDDING"})
  void everyIndependentEnc1NetworkIsAccepted(String text, Network expected) {
    Hyperparameters hp = parse(with(independentEnc1(), "enc1_network", text));
    assertEquals(expected, hp.enc1().network());
    assertEquals(false, hp.enc1IsEnc0());
  }

  @Test
  void unknownEnumValueNamesTheChoicesAndSuggestsTheNearest() {
    assertEquals(
        "optimizer must be one of adam, adagrad, adadelta, sgd, rmsprop, found adamw;"
            + " did you mean 'adam'?",
        onlyViolation(with(minimal(), "optimizer", "adamw")));
    assertEquals(
        "enc1_network must be one of enc0, hcnn, bilstm, pooled_embedding, found 3",
        onlyViolation(with(minimal(), "enc1_network", 3)));
  }

  @Test
  void nonScalarValuesAreViolations() {
    Map<String, Object> raw = with(minimal(), "epochs", List.of(1, 2));
    raw.put("dropout", null);
    HyperparameterException e = assertThrows(HyperparameterException.class, () -> parse(raw));
    assertEquals(List.of("dropout must be a finite number, found null",
        "epochs must be an integer, found [1, 2]"), e.violations());
  }

  @Test
  void unknownKeySuggestsTheNearestKnownKey() {
    assertEquals("unknown key 'enc_dims'; did you mean 'enc_dim'?",
        onlyViolation(with(minimal(), "enc_dims", "512")));
    assertEquals("unknown key 'favourite_colour'",
        onlyViolation(with(minimal(), "favourite_colour", "blue")));
  }

  @Test
  void underscoreKeysAreIgnoredWithOneWarningListingThem() {
    List<String> warnings = new ArrayList<>();
    Hyperparameters hp =
        parse(with(minimal(), "_kvstore", "dist_sync", "_num_gpus", "auto",
            "_num_kv_servers", "auto"), warnings);
    assertEquals(parse(minimal()), hp);
    assertEquals(
        List.of("ignoring SageMaker-internal hyperparameters _kvstore, _num_gpus,"
            + " _num_kv_servers"),
        warnings);
  }

  @Test
  void aFailedParseEmitsNoWarningsOnlyViolations() {
    List<String> warnings = new ArrayList<>();
    Map<String, Object> raw =
        with(minimal(), "_num_gpus", "auto", "enc0_network", "pooled_embedding", "epochs", "0");
    assertThrows(HyperparameterException.class, () -> parse(raw, warnings));
    assertEquals(List.of(), warnings);
  }

  @Test
  void plainInputGivesNoWarnings() {
    List<String> warnings = new ArrayList<>();
    parse(independentEnc1(), warnings);
    assertEquals(List.of(), warnings);
  }

  @Test
  void everyViolationIsReportedTogetherOnePerLine() {
    Map<String, Object> raw = new java.util.LinkedHashMap<>();
    raw.put("enc_dim", "2");
    raw.put("epochs", "30.5");
    raw.put("enc_dims", "8");
    raw.put("dropout", "NaN");
    raw.put("optimizer", "rmsprop");
    raw.put("token_embedding_storage_type", "row_sparse");
    raw.put("_num_gpus", "auto");
    HyperparameterException e = assertThrows(HyperparameterException.class, () -> parse(raw));
    List<String> expected =
        List.of(
            "dropout must be a finite number, found NaN",
            "enc_dim must be in [4, 10000], found 2",
            "unknown key 'enc_dims'; did you mean 'enc_dim'?",
            "epochs must be an integer, found 30.5",
            "enc0_max_seq_len must be set (integer in [1, 5000]), found nothing",
            "enc0_vocab_size must be set (integer in [2, 3000000]), found nothing",
            "optimizer must be adam, adagrad or sgd when token_embedding_storage_type is"
                + " row_sparse, found rmsprop");
    assertEquals(expected, e.violations());
    assertEquals(String.join("\n", expected), e.getMessage());
  }

  @ParameterizedTest
  @CsvSource({"adam, ADAM", "adagrad, ADAGRAD", "sgd, SGD"})
  void rowSparseAcceptsAdamAdagradAndSgd(String optimizer, OptimizerKind expected) {
    Hyperparameters hp =
        parse(with(minimal(), "token_embedding_storage_type", "row_sparse", "optimizer",
            optimizer));
    assertEquals(expected, hp.optimizer());
    assertEquals(EmbeddingStorage.ROW_SPARSE, hp.embeddingStorage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"adadelta", "rmsprop"})
  void rowSparseRejectsOtherOptimizers(String optimizer) {
    assertEquals("optimizer must be adam, adagrad or sgd when token_embedding_storage_type is"
            + " row_sparse, found " + optimizer,
        onlyViolation(with(minimal(), "token_embedding_storage_type", "row_sparse",
            "optimizer", optimizer)));
  }

  @Test
  void rowSparseTurnsBucketingOffWithOneWarning() {
    List<String> warnings = new ArrayList<>();
    Hyperparameters hp =
        parse(with(minimal(), "token_embedding_storage_type", "row_sparse", "bucket_width", "5"),
            warnings);
    assertEquals(0, hp.bucketWidth());
    assertEquals(List.of("row_sparse token embeddings turn bucketing off; using bucket_width=0"
        + " (not 5)"), warnings);
  }

  @Test
  void denseStorageKeepsBucketing() {
    List<String> warnings = new ArrayList<>();
    assertEquals(5, parse(with(minimal(), "bucket_width", "5"), warnings).bucketWidth());
    assertEquals(List.of(), warnings);
  }
}
