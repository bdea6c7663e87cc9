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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EncoderResolverTest {

  private static Map<String, Object> customEnc0() {
    return with(minimal(),
        "enc0_network", "bilstm",
        "enc0_vocab_size", "500",
        "enc0_max_seq_len", "40",
        "enc0_token_embedding_dim", "64",
        "enc0_layers", "2",
        "enc0_cnn_filter_width", "5",
        "enc0_pretrained_embedding_file", "glove.txt",
        "enc0_vocab_file", "vocab.json",
        "enc0_freeze_pretrained_embedding", "False");
  }

  private static List<String> violations(Map<String, Object> raw) {
    return assertThrows(HyperparameterException.class, () -> parse(raw)).violations();
  }

  @Test
  void enc1SameAsEnc0CopiesEverySettingIncludingFilesAndFreezeFlag() {
    Hyperparameters hp = parse(customEnc0());
    EncoderSpec expected =
        new EncoderSpec(Network.BILSTM, 500, 40, 64, 2, 5, Optional.of("glove.txt"),
            Optional.of("vocab.json"), false);
    assertEquals(expected, hp.enc0());
    assertEquals(expected, hp.enc1());
    assertTrue(hp.enc1IsEnc0());
  }

  @Test
  void enc1KeysThatDifferFromTheCopyAreIgnoredWithOneWarning() {
    List<String> warnings = new ArrayList<>();
    Hyperparameters hp =
        parse(with(customEnc0(), "enc1_vocab_size", "900", "enc1_layers", "auto",
            "enc1_max_seq_len", "40", "enc1_vocab_file", "other.json"), warnings);
    assertEquals(hp.enc0(), hp.enc1());
    // bilstm auto layers resolve to 1, which differs from enc0's 2; max_seq_len agrees.
    assertEquals(
        List.of("enc1_network=enc0 copies every enc0 setting to encoder 1; ignoring"
            + " enc1_vocab_size=900, enc1_layers=auto, enc1_vocab_file=other.json"),
        warnings);
  }

  @Test
  void enc1KeysAreStillCheckedForValidValuesWhenIgnored() {
    assertEquals(List.of("enc1_vocab_size must be in [2, 3000000], found 1"),
        violations(with(minimal(), "enc1_vocab_size", "1")));
  }

  @Test
  void independentEnc1RequiresItsVocabSizeAndMaxSeqLen() {
    assertEquals(
        List.of("enc1_vocab_size must be set when enc1_network is not enc0, found nothing",
            "enc1_max_seq_len must be set when enc1_network is not enc0, found nothing"),
        violations(with(minimal(), "enc1_network", "bilstm")));
  }

  @Test
  void independentEnc1TakesItsOwnDefaultsNotEnc0Values() {
    Hyperparameters hp =
        parse(with(customEnc0(), "enc1_network", "bilstm", "enc1_vocab_size", "700",
            "enc1_max_seq_len", "9"));
    EncoderSpec expected =
        new EncoderSpec(Network.BILSTM, 700, 9, 300, 1, 3, Optional.empty(), Optional.empty(),
            true);
    assertEquals(expected, hp.enc1());
    assertEquals(false, hp.enc1IsEnc0());
    assertEquals(64, hp.enc0().tokenEmbeddingDim(), "enc0 untouched");
  }

  @Test
  void pooledEmbeddingForcesTokenDimToEncDimWithOneWarning() {
    List<String> warnings = new ArrayList<>();
    Hyperparameters hp =
        parse(with(minimal(), "enc0_network", "pooled_embedding", "enc_dim", "128"), warnings);
    assertEquals(128, hp.enc0().tokenEmbeddingDim());
    assertEquals(128, hp.enc1().tokenEmbeddingDim());
    assertEquals(1, hp.enc0().layers(), "auto layers for pooled_embedding");
    assertEquals(List.of("pooled_embedding averages token embeddings, so their width must be"
        + " enc_dim; using enc0_token_embedding_dim=128 (not 300)"), warnings);
  }

  @Test
  void pooledEmbeddingOnBothIndependentSidesStillWarnsOnce() {
    List<String> warnings = new ArrayList<>();
    Hyperparameters hp =
        parse(with(independentEnc1(), "enc0_network", "pooled_embedding", "enc1_network",
            "pooled_embedding", "enc1_token_embedding_dim", "50", "enc_dim", "64"), warnings);
    assertEquals(64, hp.enc0().tokenEmbeddingDim());
    assertEquals(64, hp.enc1().tokenEmbeddingDim());
    assertEquals(List.of("pooled_embedding averages token embeddings, so their width must be"
        + " enc_dim; using enc0_token_embedding_dim=64 (not 300),"
        + " enc1_token_embedding_dim=64 (not 50)"), warnings);
  }

  @Test
  void pooledEmbeddingWithTokenDimAlreadyEncDimDoesNotWarn() {
    List<String> warnings = new ArrayList<>();
    parse(with(minimal(), "enc0_network", "pooled_embedding", "enc_dim", "300"), warnings);
    assertEquals(List.of(), warnings);
  }

  @Test
  void tiedEmbeddingsAcceptEqualVocabSizesAndDims() {
    Hyperparameters hp =
        parse(with(independentEnc1(), "tied_token_embedding_weight", "True",
            "enc1_vocab_size", "1000"));
    assertTrue(hp.tiedTokenEmbedding());
    assertTrue(parse(with(minimal(), "tied_token_embedding_weight", "true")).tiedTokenEmbedding(),
        "enc1=enc0 always has equal sizes");
  }

  @Test
  void tiedEmbeddingsRejectUnequalVocabSizesAndDims() {
    assertEquals(
        List.of("enc1_vocab_size must equal enc0_vocab_size (1000) when"
                + " tied_token_embedding_weight is true, found 2000",
            "enc1_token_embedding_dim must equal enc0_token_embedding_dim (300) when"
                + " tied_token_embedding_weight is true, found 200"),
        violations(with(independentEnc1(), "tied_token_embedding_weight", "TRUE",
            "enc1_token_embedding_dim", "200")));
  }

  @Test
  void tiedEmbeddingsCompareDimsAfterThePooledRule() {
    Map<String, Object> raw =
        with(independentEnc1(), "tied_token_embedding_weight", "True", "enc1_vocab_size", "1000",
            "enc0_network", "pooled_embedding", "enc_dim", "256");
    assertEquals(
        List.of("enc1_token_embedding_dim must equal enc0_token_embedding_dim (256) when"
            + " tied_token_embedding_weight is true, found 300"),
        violations(raw));
    Hyperparameters hp = parse(with(raw, "enc1_token_embedding_dim", "256"));
    assertEquals(hp.enc0().tokenEmbeddingDim(), hp.enc1().tokenEmbeddingDim());
  }

  @ParameterizedTest
  @CsvSource({"0", "1"})
  void aPretrainedFileWithoutAVocabFileIsAViolation(int side) {
    Map<String, Object> raw =
        with(independentEnc1(), "enc" + side + "_pretrained_embedding_file", "glove.txt");
    assertEquals(List.of("enc" + side + "_vocab_file must be set when enc" + side
        + "_pretrained_embedding_file is set, found ''"), violations(raw));
  }

  @Test
  void aVocabFileAloneIsAccepted() {
    Hyperparameters hp = parse(with(minimal(), "enc0_vocab_file", "vocab.json"));
    assertEquals(Optional.empty(), hp.enc0().pretrainedEmbeddingFile());
    assertEquals(Optional.of("vocab.json"), hp.enc1().vocabFile());
  }
}
