package dev.o2v.core.hp;

import static dev.o2v.core.hp.HpFixtures.independentEnc1;
import static dev.o2v.core.hp.HpFixtures.minimal;
import static dev.o2v.core.hp.HpFixtures.parse;
import static dev.o2v.core.hp.HpFixtures.with;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class HyperparameterCodecTest {

  @TempDir Path dir;

  private Path write(String name, String text) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, text);
    return file;
  }

  @Test
  void parsesJsonWithStringAndNativeValues() {
    Hyperparameters hp =
        HyperparameterCodec.parseJson(
            """
            {"enc0_max_seq_len": 20, "enc0_vocab_size": "1000", "dropout": 0.5,
             "epochs": 12.0, "tied_token_embedding_weight": false, "enc0_layers": "auto",
             "learning_rate": "0.001", "_kvstore": "dist_sync"}
            """);
    assertEquals(20, hp.enc0().maxSeqLen());
    assertEquals(1000, hp.enc0().vocabSize());
    assertEquals(0.5, hp.dropout());
    assertEquals(12, hp.epochs());
    assertEquals(false, hp.tiedTokenEmbedding());
    assertEquals(4, hp.enc0().layers());
    assertEquals(0.001, hp.learningRate());
  }

  @Test
  void parsesAJacksonTree() throws IOException {
    JsonNode tree =
        new ObjectMapper().readTree("{\"enc0_max_seq_len\": 5, \"enc0_vocab_size\": \"7\"}");
    assertEquals(7, HyperparameterCodec.parse(tree).enc0().vocabSize());
    HyperparameterException e =
        assertThrows(HyperparameterException.class,
            () -> HyperparameterCodec.parse(new ObjectMapper().readTree("\"x\"")));
    assertEquals("hyperparameters must be a JSON object, found string", e.getMessage());
  }

  @Test
  void jsonNumberThatOverflowsADoubleIsAFiniteNumberViolation() {
    HyperparameterException e =
        assertThrows(HyperparameterException.class,
            () -> HyperparameterCodec.parseJson(
                "{\"enc0_max_seq_len\": 20, \"enc0_vocab_size\": 9, \"weight_decay\": 1e309}"));
    assertEquals(List.of("weight_decay must be a finite number, found 1E+309"), e.violations());
  }

  @Test
  void jsonNumberWhoseExponentOverflowsADecimalIsRejectedAsInput() {
    HyperparameterException e =
        assertThrows(HyperparameterException.class,
            () -> HyperparameterCodec.parseJson(
                "{\"enc0_max_seq_len\": 20, \"enc0_vocab_size\": 9, \"dropout\": 1E2147483648}"));
    assertTrue(e.getMessage().startsWith(
        "hyperparameters must hold numbers a decimal can represent: "), e.getMessage());
    assertTrue(e.getMessage().contains("1E2147483648"), e.getMessage());
  }

  @Test
  void jsonTextThatIsNotAnObjectIsRejected() {
    HyperparameterException e =
        assertThrows(HyperparameterException.class, () -> HyperparameterCodec.parseJson("[1]"));
    assertEquals("hyperparameters must be a JSON object, found array", e.getMessage());
  }

  @Test
  void invalidJsonTextNamesLineAndColumn() {
    HyperparameterException e =
        assertThrows(HyperparameterException.class,
            () -> HyperparameterCodec.parseJson("{\n  \"epochs\": 3,\n  oops\n}"));
    // Line 3 is "  oops": the unexpected 'o' is in column 3.
    assertTrue(e.getMessage().startsWith("hyperparameters: line 3, column 3: "), e.getMessage());
    assertTrue(e.getMessage().contains("invalid JSON"), e.getMessage());
  }

  @Test
  void duplicateKeysAreInvalidJson() {
    HyperparameterException e =
        assertThrows(HyperparameterException.class,
            () -> HyperparameterCodec.parseJson("{\"epochs\": 3, \"epochs\": 4}"));
    assertTrue(e.getMessage().startsWith("hyperparameters: line 1, column ")
        && e.getMessage().contains("Duplicate field 'epochs'"), e.getMessage());
  }

  @Test
  void truncatedJsonGivesOneLineWithoutSourceDescription() {
    HyperparameterException e =
        assertThrows(HyperparameterException.class,
            () -> HyperparameterCodec.parseJson("{\"epochs\": 3"));
    assertTrue(e.getMessage().startsWith("hyperparameters: line 1, column ")
        && !e.getMessage().contains("Source") && !e.getMessage().contains("\n"), e.getMessage());
  }

  @Test
  void parsesAFile() throws IOException {
    Path file = write("hp.json", "{\"enc0_max_seq_len\": \"20\", \"enc0_vocab_size\": \"50\"}");
    assertEquals(50, HyperparameterCodec.parseFile(file).enc0().vocabSize());
    assertEquals(50, Hyperparameters.parseFile(file).enc1().vocabSize());
  }

  @Test
  void missingFileIsAFileExceptionNamingTheFile() {
    Path file = dir.resolve("absent.json");
    HyperparameterFileException e =
        assertThrows(HyperparameterFileException.class, () -> HyperparameterCodec.parseFile(file));
    assertEquals(file + ": file not found", e.getMessage());
    assertEquals(file, e.file());
  }

  @Test
  void fileWithInvalidJsonNamesFileLineAndColumn() throws IOException {
    Path file = write("bad.json", "{\n  \"epochs\": 3,\n  \"dropout\": 0.1,,\n}\n");
    HyperparameterFileException e =
        assertThrows(HyperparameterFileException.class, () -> HyperparameterCodec.parseFile(file));
    // Line 3 is '  "dropout": 0.1,,': the second comma is in column 18.
    assertTrue(e.getMessage().startsWith(file + ": line 3, column 18: "), e.getMessage());
    assertTrue(e.getMessage().contains(": invalid JSON: "), e.getMessage());
    assertEquals(1, e.violations().size());
    assertTrue(!e.getMessage().contains("\n"), "one line: " + e.getMessage());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = ';',
      value = {"[1, 2];array", "\"text\";string", "3;number", "'';no content"})
  void fileWithValidJsonThatIsNotAnObjectIsAFileException(String text, String found)
      throws IOException {
    Path file = write("not-object.json", text);
    HyperparameterFileException e =
        assertThrows(HyperparameterFileException.class, () -> HyperparameterCodec.parseFile(file));
    assertEquals(file + ": must be a JSON object, found " + found, e.getMessage());
  }

  @Test
  void overridesReplaceFileValuesBeforeValidation() throws IOException {
    Path file = write("hp.json",
        "{\"enc0_max_seq_len\": 20, \"enc0_vocab_size\": 50, \"epochs\": 300}");
    assertEquals(7, HyperparameterCodec.parseFile(file, Map.of("epochs", "7")).epochs(),
        "an out-of-range file value replaced by a valid override");
    HyperparameterException e =
        assertThrows(HyperparameterException.class,
            () -> HyperparameterCodec.parseFile(file, Map.of("epochs", "8", "epoch", "9")));
    assertEquals(List.of("unknown key 'epoch'; did you mean 'epochs'?"), e.violations());
  }

  @Test
  void withOverridesLeavesTheBaseMapUnchanged() {
    Map<String, Object> base = minimal();
    Map<String, Object> merged = HyperparameterCodec.withOverrides(base, Map.of("epochs", "3"));
    assertEquals("3", merged.get("epochs"));
    assertEquals(minimal(), base);
  }

  static Stream<Map<String, Object>> configurations() {
    return Stream.of(
        minimal(),
        independentEnc1(),
        with(minimal(), "enc0_network", "pooled_embedding", "enc_dim", "64"),
        with(independentEnc1(), "enc0_network", "bilstm", "enc1_network", "pooled_embedding",
            "enc0_layers", "3", "enc_dim", "33", "enc1_pretrained_embedding_file", "g.txt",
            "enc1_vocab_file", "v.json", "enc1_freeze_pretrained_embedding", "false"),
        with(minimal(), "token_embedding_storage_type", "row_sparse", "bucket_width", "10",
            "optimizer", "sgd"),
        with(minimal(), "comparator_list", "abs_diff,hadamard", "mlp_layers", "0",
            "mlp_activation", "tanh", "output_layer", "mean_squared_error", "num_classes", "30",
            "dropout", "0.123456789", "learning_rate", 1e-6, "weight_decay", "9999.5",
            "mini_batch_size", "1", "epochs", "100", "early_stopping_patience", "5",
            "early_stopping_tolerance", "0.000001", "negative_sampling_rate", "100",
            "tied_token_embedding_weight", "True", "enc0_cnn_filter_width", "9",
            "enc0_vocab_file", "v.json", "_num_gpus", "auto"));
  }

  @ParameterizedTest
  @MethodSource("configurations")
  void canonicalMapRoundTripsToAnEqualValueWithoutWarnings(Map<String, Object> raw) {
    Hyperparameters hp = parse(raw);
    SortedMap<String, String> canonical = hp.toCanonicalMap();
    assertEquals(HyperparameterCatalog.names().stream().sorted().toList(),
        List.copyOf(canonical.keySet()), "all keys, sorted");
    List<String> warnings = new ArrayList<>();
    Hyperparameters again = parse(canonical, warnings);
    assertEquals(hp, again, "parse(canonical(x))");
    assertEquals(canonical, again.toCanonicalMap(), "canonical(parse(canonical(x)))");
    assertEquals(List.of(), warnings, "the canonical form needs no correction");
    assertEquals(hp, HyperparameterCodec.parseJson(HyperparameterCodec.toCanonicalJson(hp)),
        "through canonical JSON text");
  }

  @Test
  void canonicalMapWritesValuesInSageMakerForm() {
    SortedMap<String, String> canonical =
        parse(with(minimal(), "enc0_network", "BiLSTM", "comparator_list", " concat ,hadamard",
            "learning_rate", "1e-3", "weight_decay", "10000.0", "tied_token_embedding_weight",
            "true")).toCanonicalMap();
    assertEquals("bilstm", canonical.get("enc0_network"));
    assertEquals("enc0", canonical.get("enc1_network"));
    assertEquals("1", canonical.get("enc0_layers"), "auto resolved for bilstm");
    assertEquals("1", canonical.get("enc1_layers"));
    assertEquals("1000", canonical.get("enc1_vocab_size"), "copied from enc0");
    assertEquals("concat, hadamard", canonical.get("comparator_list"));
    assertEquals("0.001", canonical.get("learning_rate"));
    assertEquals("10000", canonical.get("weight_decay"));
    assertEquals("0", canonical.get("dropout"));
    assertEquals("0.01", canonical.get("early_stopping_tolerance"));
    assertEquals("True", canonical.get("tied_token_embedding_weight"));
    assertEquals("True", canonical.get("enc1_freeze_pretrained_embedding"));
    assertEquals("", canonical.get("enc0_vocab_file"));
  }

  @ParameterizedTest
  @CsvSource({"0.0004, 0.0004", "1.0E-6, 0.000001", "10000.0, 10000", "0.0, 0", "0.1, 0.1",
      "1.5E-10, 0.00000000015"})
  void floatsAreWrittenAsPlainDecimals(double value, String expected) {
    assertEquals(expected, HyperparameterCodec.formatFloat(value));
    assertEquals(value, Double.parseDouble(expected), "parses back to the same double");
  }

  @Test
  void fileExceptionIsAHyperparameterException() {
    assertInstanceOf(HyperparameterException.class,
        new HyperparameterFileException(Path.of("x.json"), "file not found", null));
  }
}
