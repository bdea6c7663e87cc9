package dev.o2v.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.o2v.core.hp.Hyperparameters;
import dev.o2v.core.prepare.ColumnKind;
import dev.o2v.core.prepare.PrepareException;
import dev.o2v.core.prepare.TokenizerDescription;
import dev.o2v.encoders.PretrainedEmbeddingException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuxiliaryFilesTest {

  @TempDir Path aux;
  private final List<String> warnings = new ArrayList<>();

  private static Hyperparameters hp(String... keyValues) {
    Map<String, Object> raw = new LinkedHashMap<>();
    raw.put("enc0_vocab_size", "5");
    raw.put("enc0_max_seq_len", "4");
    raw.put("enc0_network", "bilstm");
    raw.put("enc0_token_embedding_dim", "3");
    raw.put("enc_dim", "4");
    for (int i = 0; i < keyValues.length; i += 2) {
      raw.put(keyValues[i], keyValues[i + 1]);
    }
    return Hyperparameters.parse(raw);
  }

  private List<String> check(Hyperparameters hp) {
    return AuxiliaryFiles.check(hp, Optional.of(aux), warnings::add);
  }

  @Test
  void aVocabularyEntryOutsideTheTableIsSkippedWithOneWarningAndACount() throws IOException {
    // As the genre example builds it: <unk> gets the id equal to the vocab size.
    Files.writeString(aux.resolve("vocab.json"),
        "{\"a\": 0, \"b\": 1, \"c\": 2, \"d\": 3, \"e\": 4, \"<unk>\": 5}");
    List<String> summary = check(hp("enc0_vocab_file", "vocab.json"));
    assertEquals(List.of("enc0 vocabulary vocab.json: 5 entries"), summary);
    assertEquals(1, warnings.size(), "one line: " + warnings);
    assertTrue(warnings.get(0).contains("skipped 1 vocabulary entry whose id is outside [0, 5)"
        + " (e.g. '<unk>' = 5)"), warnings.get(0));
  }

  @Test
  void aPretrainedFileIsCheckedAgainstTheTokenDim() throws IOException {
    Files.writeString(aux.resolve("vocab.json"), "{\"a\": 1, \"b\": 2}");
    Files.writeString(aux.resolve("glove.840B-trim.txt"), "a 0.1 0.2 0.3 0.4\n");
    PretrainedEmbeddingException e = assertThrows(PretrainedEmbeddingException.class,
        () -> check(hp("enc0_vocab_file", "vocab.json",
            "enc0_pretrained_embedding_file", "glove.840B-trim.txt")));
    assertEquals(aux.resolve("glove.840B-trim.txt")
        + ":1: vector width must equal the token embedding dim 3, found 4", e.getMessage());

    Files.writeString(aux.resolve("glove.840B-trim.txt"), "a 0.1 0.2 0.3\n");
    List<String> summary = check(hp("enc0_vocab_file", "vocab.json",
        "enc0_pretrained_embedding_file", "glove.840B-trim.txt"));
    assertEquals(List.of("enc0 vocabulary vocab.json: 2 entries",
        "enc0 pretrained embeddings glove.840B-trim.txt: vectors of width 3"), summary);
    assertEquals(List.of(), warnings);
  }

  @Test
  void filesThatEncoderOneCopiesFromEncoderZeroAreReadOnce() throws IOException {
    Files.writeString(aux.resolve("vocab.json"), "{\"a\": 1, \"<unk>\": 9}");
    List<String> summary = check(hp("enc0_vocab_file", "vocab.json", "enc1_network", "enc0"));
    assertEquals(List.of("enc0 vocabulary vocab.json: 1 entry"), summary);
    assertEquals(1, warnings.size(), warnings.toString());
  }

  @Test
  void aMissingVocabularyIsRefusedBeforeTraining() {
    PretrainedEmbeddingException e = assertThrows(PretrainedEmbeddingException.class,
        () -> check(hp("enc0_vocab_file", "absent.json")));
    assertEquals(aux.resolve("absent.json") + ": file not found", e.getMessage());
  }

  @Test
  void aTokenizerDescriptionIsReadWhenPresent() throws IOException {
    new TokenizerDescription(TokenizerDescription.Type.WORD, true, "<unk>", ColumnKind.TEXT,
        ColumnKind.IDS, Optional.empty()).write(aux.resolve(TokenizerDescription.FILE_NAME));
    assertEquals(List.of("tokenizer tokenizer.json: word (in0 text, in1 ids)"), check(hp()));

    Files.writeString(aux.resolve(TokenizerDescription.FILE_NAME), "{\"format\": \"other\"}");
    PrepareException e = assertThrows(PrepareException.class, () -> check(hp()));
    assertTrue(e.getMessage().startsWith(aux.resolve(TokenizerDescription.FILE_NAME) + ": "),
        e.getMessage());
  }

  @Test
  void namedFilesWithoutAnAuxiliaryDirectoryGiveOneWarning() {
    List<String> summary = AuxiliaryFiles.check(hp("enc0_vocab_file", "vocab.json"),
        Optional.empty(), warnings::add);
    assertEquals(List.of(), summary);
    assertEquals(1, warnings.size(), warnings.toString());
    assertTrue(warnings.get(0).contains("enc0_vocab_file=vocab.json"), warnings.get(0));
  }
}
