package dev.o2v.inference.text;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.o2v.core.data.DataException;
import dev.o2v.core.prepare.TextNormalization;
import dev.o2v.core.prepare.Tokenizer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A Hugging Face {@code tokenizer.json} run by DJL's binding of the Rust tokenizers library.
 *
 * <p>The native library ships inside the {@code ai.djl.huggingface:tokenizers} jar (linux-x86_64
 * and -aarch64, macOS arm64, Windows x86_64) and is extracted to DJL's cache directory on first
 * use; nothing is downloaded. Text gets {@link TextNormalization} first (NFC, optional lower
 * case); special tokens ({@code [CLS]}, {@code </s>}, …) are not added, and no truncation or
 * padding is applied: lengths are the model's business. The token strings (e.g. {@code ##ing})
 * are what the vocabulary maps.
 */
public final class HfTokenizer implements Tokenizer {

  private final HuggingFaceTokenizer tokenizer;
  private final boolean lowercase;

  private HfTokenizer(HuggingFaceTokenizer tokenizer, boolean lowercase) {
    this.tokenizer = tokenizer;
    this.lowercase = lowercase;
  }

  /**
   * Loads the tokenizer defined by {@code json}.
   *
   * @param source where the definition came from, for messages
   * @throws DataException naming {@code source} when the definition cannot be loaded
   */
  public static HfTokenizer fromJson(String json, boolean lowercase, String source) {
    Map<String, String> options =
        Map.of("addSpecialTokens", "false", "truncation", "false", "padding", "false");
    try (ByteArrayInputStream in =
        new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8))) {
      return new HfTokenizer(HuggingFaceTokenizer.newInstance(in, options), lowercase);
    } catch (IOException | RuntimeException e) {
      throw new DataException(
          source + ": not a usable Hugging Face tokenizer: " + firstLine(e.getMessage()), e);
    }
  }

  @Override
  public List<String> tokenize(String text) {
    String normalized = TextNormalization.apply(text, lowercase);
    return Arrays.asList(tokenizer.encode(normalized, false, false).getTokens());
  }

  @Override
  public void close() {
    tokenizer.close();
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unknown error";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
