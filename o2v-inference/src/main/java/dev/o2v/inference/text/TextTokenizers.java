package dev.o2v.inference.text;

import dev.o2v.core.prepare.TokenizerDescription;
import dev.o2v.core.prepare.Tokenizer;
import dev.o2v.core.prepare.WordTokenizer;

/** Creates the tokenizer a {@link TokenizerDescription} names. */
public final class TextTokenizers {

  private TextTokenizers() {}

  /**
   * The tokenizer of {@code description}; close it when done (a Hugging Face tokenizer holds
   * native memory).
   *
   * @param source where the description came from, for messages
   */
  public static Tokenizer create(TokenizerDescription description, String source) {
    return switch (description.type()) {
      case WORD -> new WordTokenizer(description.lowercase());
      case HUGGING_FACE -> HfTokenizer.fromJson(
          description.huggingFaceJson().orElseThrow(), description.lowercase(), source);
    };
  }
}
