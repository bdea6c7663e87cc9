package dev.o2v.core.hp;

import static dev.o2v.core.hp.HpFixtures.independentEnc1;
import static dev.o2v.core.hp.HpFixtures.minimal;
import static dev.o2v.core.hp.HpFixtures.parse;
import static dev.o2v.core.hp.HpFixtures.with;
import static dev.o2v.core.hp.HyperparameterParserTest.onlyViolation;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The accepted and rejected forms of each value type, seen through the parser. */
class ValueParserTest {

  @ParameterizedTest
  @CsvSource({"True, true", "true, true", "TRUE, true", "False, false", "false, false",
      "FALSE, false", "' True ', true"})
  void booleanStringsAcceptAnyLetterCase(String text, boolean expected) {
    Hyperparameters hp = parse(with(minimal(), "tied_token_embedding_weight", text));
    assertEquals(expected, hp.tiedTokenEmbedding(), text);
    Hyperparameters frozen = parse(with(minimal(), "enc0_freeze_pretrained_embedding", text));
    assertEquals(expected, frozen.enc0().freezePretrainedEmbedding(), text);
  }

  @Test
  void jsonBooleansAreAccepted() {
    assertEquals(true, parse(with(minimal(), "tied_token_embedding_weight", true))
        .tiedTokenEmbedding());
    assertEquals(false, parse(with(minimal(), "enc0_freeze_pretrained_embedding", false))
        .enc0().freezePretrainedEmbedding());
  }

  @ParameterizedTest
  @ValueSource(strings = {"yes", "1", "T", ""})
  void otherBooleanSpellingsAreViolations(String text) {
    assertEquals("tied_token_embedding_weight must be true or false, found "
            + (text.isEmpty() ? "''" : text),
        onlyViolation(with(minimal(), "tied_token_embedding_weight", text)));
  }

  static Stream<Object> thirtyInEveryForm() {
    return Stream.of("30", " 30 ", "30.0", "+30", 30, 30L, 30.0, new BigDecimal("30.00"),
        BigInteger.valueOf(30), "3e1");
  }

  @ParameterizedTest
  @MethodSource("thirtyInEveryForm")
  void integerKeysAcceptStringsNumbersAndWholeDecimals(Object thirty) {
    assertEquals(30, parse(with(minimal(), "epochs", thirty)).epochs(), "from " + thirty);
  }

  @ParameterizedTest
  @CsvSource({"30.5, 30.5", "abc, abc", "3O, 3O", "0x1E, 0x1E"})
  void nonIntegersAreViolationsForIntegerKeys(String text, String shown) {
    assertEquals("epochs must be an integer, found " + shown,
        onlyViolation(with(minimal(), "epochs", text)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "  "})
  void blankStringsAreViolationsForIntegerKeysShownQuoted(String text) {
    assertEquals("epochs must be an integer, found ''",
        onlyViolation(with(minimal(), "epochs", text)));
  }

  @Test
  void integerKeysRejectFractionalNumbersAndHugeValues() {
    assertEquals("epochs must be an integer, found 30.5",
        onlyViolation(with(minimal(), "epochs", 30.5)));
    assertEquals("epochs must be in [1, 100], found 99999999999999999999",
        onlyViolation(with(minimal(), "epochs", new BigInteger("99999999999999999999"))));
    assertEquals("epochs must be an integer, found true",
        onlyViolation(with(minimal(), "epochs", true)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"0.001", "1e-3", "1E-3", ".001", "0.0010"})
  void floatKeysAcceptDecimalAndExponentForms(String text) {
    assertEquals(0.001, parse(with(minimal(), "learning_rate", text)).learningRate(), text);
  }

  @Test
  void floatKeysAcceptJsonNumbers() {
    assertEquals(0.5, parse(with(minimal(), "dropout", 0.5)).dropout());
    assertEquals(1.0, parse(with(minimal(), "dropout", 1)).dropout());
    assertEquals(0.25, parse(with(minimal(), "dropout", new BigDecimal("0.25"))).dropout());
  }

  static Stream<Arguments> nonFiniteFloats() {
    return Stream.of(
        Arguments.of("NaN", "NaN"),
        Arguments.of("Infinity", "Infinity"),
        Arguments.of("-Infinity", "-Infinity"),
        Arguments.of("1e309", "1e309"),
        Arguments.of(new BigDecimal("1e309"), "1E+309"),
        Arguments.of(Double.NaN, "NaN"),
        Arguments.of(Double.POSITIVE_INFINITY, "Infinity"),
        Arguments.of("0.1f", "0.1f"),
        Arguments.of("abc", "abc"));
  }

  @ParameterizedTest
  @MethodSource("nonFiniteFloats")
  void nonFiniteOrNonNumericFloatsAreViolations(Object value, String shown) {
    assertEquals("weight_decay must be a finite number, found " + shown,
        onlyViolation(with(minimal(), "weight_decay", value)));
  }

  @ParameterizedTest
  @CsvSource({"auto, hcnn, 4", "AUTO, hcnn, 4", "auto, bilstm, 1", "auto, pooled_embedding, 1",
      "1, hcnn, 1", "4, bilstm, 4", "2.0, hcnn, 2"})
  void layersAcceptAutoOrOneToFour(String layers, String network, int expected) {
    Hyperparameters hp =
        parse(with(minimal(), "enc0_layers", layers, "enc0_network", network, "enc_dim", "300"));
    assertEquals(expected, hp.enc0().layers(), network + " layers=" + layers);
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "5", "1.5", "automatic", ""})
  void layersOutsideAutoOrOneToFourAreViolations(String layers) {
    assertEquals("enc1_layers must be auto or an integer in [1, 4], found "
            + (layers.isEmpty() ? "''" : layers),
        onlyViolation(with(independentEnc1(), "enc1_layers", layers)));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = ';',
      value = {
        "hadamard; HADAMARD",
        "concat,abs_diff; CONCAT ABS_DIFF",
        "  abs_diff ,  hadamard  ; ABS_DIFF HADAMARD",
        "Hadamard, Concat, Abs_Diff; HADAMARD CONCAT ABS_DIFF"
      })
  void comparatorListKeepsOrderAndAllowsSpaces(String text, String expected) {
    List<ComparatorOp> ops =
        Stream.of(expected.split(" ")).map(ComparatorOp::valueOf).toList();
    assertEquals(ops, parse(with(minimal(), "comparator_list", text)).comparators(), text);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = ';',
      value = {
        "'';comparator_list must be a comma-separated list of hadamard, concat, abs_diff,"
            + " found ''",
        "hadamard, dot;comparator_list must contain only hadamard, concat, abs_diff, found dot",
        "concat, hadamard, concat;comparator_list must name each operator once,"
            + " found concat twice",
        "hadamard,,concat;comparator_list must not have empty entries, found 'hadamard,,concat'"
      })
  void badComparatorListsAreViolations(String text, String expected) {
    assertEquals(expected, onlyViolation(with(minimal(), "comparator_list", text)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"glove.txt", "vocab_0.json", "A.b_C9", "glove.840B-trim.txt", "a..b",
      "-v.json"})
  void fileNamesOfSafeCharactersAreAccepted(String name) {
    Hyperparameters hp = parse(with(minimal(), "enc0_vocab_file", name));
    assertEquals(Optional.of(name), hp.enc0().vocabFile());
  }

  @ParameterizedTest
  @ValueSource(strings = {".", "..", "..x", ".hidden.json", "../vocab.json", "dir/vocab.json",
      "dir\\vocab.json", "a b", "vocab+1.json"})
  void fileNamesWithPathsOrOtherCharactersAreViolations(String name) {
    String shown = name.contains(" ") ? "'" + name + "'" : name;
    assertEquals("enc0_pretrained_embedding_file must be empty or a file name of"
            + " [A-Za-z0-9._-]+ not starting with a dot, found " + shown,
        onlyViolation(with(minimal(), "enc0_pretrained_embedding_file", name,
            "enc0_vocab_file", "vocab.json")));
  }

  @Test
  void emptyFileNameMeansNoFile() {
    Hyperparameters hp = parse(with(minimal(), "enc0_vocab_file", ""));
    assertEquals(Optional.empty(), hp.enc0().vocabFile());
  }

  @Test
  void controlCharactersInAValueAreEscapedSoTheViolationStaysOneLine() {
    assertEquals("optimizer must be one of adam, adagrad, adadelta, sgd, rmsprop,"
            + " found 'ad\\nam\\u0000'; did you mean 'adam'?",
        onlyViolation(with(minimal(), "optimizer", "ad\nam\u0000")));
  }

  @Test
  void longValuesAreShortenedInViolations() {
    String violation = onlyViolation(with(minimal(), "enc_dim", "7".repeat(81)));
    assertEquals("enc_dim must be in [4, 10000], found " + "7".repeat(80) + "... (81 chars)",
        violation);
  }
}
