package dev.o2v.core.hp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HyperparameterCatalogTest {

  /** Every key of the SageMaker Object2Vec hyperparameter page, written out by hand. */
  private static final Set<String> DOCUMENTED =
      Set.of(
          "enc0_max_seq_len", "enc0_vocab_size", "bucket_width", "comparator_list", "dropout",
          "early_stopping_patience", "early_stopping_tolerance", "enc_dim", "enc0_network",
          "enc0_cnn_filter_width", "enc0_freeze_pretrained_embedding", "enc0_layers",
          "enc0_pretrained_embedding_file", "enc0_token_embedding_dim", "enc0_vocab_file",
          "enc1_network", "enc1_cnn_filter_width", "enc1_freeze_pretrained_embedding",
          "enc1_layers", "enc1_max_seq_len", "enc1_pretrained_embedding_file",
          "enc1_token_embedding_dim", "enc1_vocab_file", "enc1_vocab_size", "epochs",
          "learning_rate", "mini_batch_size", "mlp_activation", "mlp_dim", "mlp_layers",
          "negative_sampling_rate", "num_classes", "optimizer", "output_layer",
          "tied_token_embedding_weight", "token_embedding_storage_type", "weight_decay");

  @Test
  void catalogHoldsExactlyTheDocumentedKeys() {
    Set<String> names = new HashSet<>(HyperparameterCatalog.names());
    assertEquals(DOCUMENTED, names, "catalog keys");
    assertEquals(37, HyperparameterCatalog.keys().size(), "catalog size (no duplicates)");
  }

  @Test
  void onlyTheTwoEnc0SizesAreRequired() {
    List<String> required =
        HyperparameterCatalog.keys().stream()
            .filter(k -> k.requirement() == Requirement.REQUIRED)
            .map(HyperparameterKey::name)
            .toList();
    assertEquals(List.of("enc0_max_seq_len", "enc0_vocab_size"), required);
  }

  @Test
  void everyKeyHasAShortOneLineDescription() {
    for (HyperparameterKey key : HyperparameterCatalog.keys()) {
      String text = key.description();
      assertFalse(text.isBlank() || text.contains("\n"), key.name() + ": " + text);
      assertTrue(text.length() <= 100, key.name() + " description has " + text.length());
    }
  }

  @Test
  void everyDefaultIsItselfAValidValue() {
    for (HyperparameterKey key : HyperparameterCatalog.keys()) {
      if (key.defaultValue() != null) {
        List<String> problems = new java.util.ArrayList<>();
        Object value = ValueParser.parse(key, key.defaultValue(), problems::add);
        assertTrue(value != null && problems.isEmpty(), key.name() + ": " + problems);
      }
    }
  }

  @ParameterizedTest
  @CsvSource({
    "enc_dims, enc_dim",
    "ENC_DIM, enc_dim",
    "epoch, epochs",
    "learning_rat, learning_rate",
    "enc0_vocab_sise, enc0_vocab_size",
    "mlp_activations, mlp_activation",
    "negative_sample_rate, negative_sampling_rate"
  })
  void suggestsTheNearestKeyForATypo(String typo, String expected) {
    assertEquals(Optional.of(expected), HyperparameterCatalog.suggest(typo), typo);
  }

  @Test
  void suggestsNothingForAnUnrelatedName() {
    assertEquals(Optional.empty(), HyperparameterCatalog.suggest("colour"));
  }

  @ParameterizedTest
  @CsvSource({"'', '', 0", "abc, abc, 0", "kitten, sitting, 3", "abc, '', 3", "flaw, lawn, 2"})
  void editDistanceCountsSingleCharacterEdits(String a, String b, int expected) {
    assertEquals(expected, EditDistance.between(a, b), a + " -> " + b);
    assertEquals(expected, EditDistance.between(b, a), b + " -> " + a);
  }
}
