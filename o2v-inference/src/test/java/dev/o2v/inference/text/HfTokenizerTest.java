package dev.o2v.inference.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.o2v.core.data.DataException;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Runs the native Hugging Face tokenizer from the jar, offline. */
@Tag("engine")
class HfTokenizerTest {

  /** A word-level tokenizer: whitespace/punctuation pre-split, then a fixed word list. */
  static final String WORD_LEVEL =
      "{\"version\": \"1.0\", \"truncation\": null, \"padding\": null, \"added_tokens\": [],"
          + " \"normalizer\": null, \"pre_tokenizer\": {\"type\": \"Whitespace\"},"
          + " \"post_processor\": null, \"decoder\": null,"
          + " \"model\": {\"type\": \"WordLevel\", \"unk_token\": \"[UNK]\","
          + " \"vocab\": {\"[UNK]\": 0, \"hello\": 1, \"world\": 2, \"!\": 3}}}";

  @Test
  void tokenizesWithTheDefinitionAndOurNormalizationFirst() {
    try (HfTokenizer lower = HfTokenizer.fromJson(WORD_LEVEL, true, "t.json");
        HfTokenizer keep = HfTokenizer.fromJson(WORD_LEVEL, false, "t.json")) {
      assertEquals(List.of("hello", "[UNK]", "world", "!"), lower.tokenize("Hello big WORLD!"));
      assertEquals(List.of("[UNK]", "[UNK]", "!"), keep.tokenize("Hello WORLD!"),
          "without lower-casing the capitalised words are not in its word list");
    }
  }

  @Test
  void aBrokenDefinitionIsADataErrorNamingTheSource() {
    DataException e = assertThrows(DataException.class,
        () -> HfTokenizer.fromJson("{\"model\": 5}", false, "bad.json"));
    assertTrue(e.getMessage().startsWith("bad.json: not a usable Hugging Face tokenizer: "),
        e.getMessage());
  }
}
