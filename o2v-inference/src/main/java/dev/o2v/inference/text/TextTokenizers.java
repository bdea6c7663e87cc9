package dev.o2v.inference.text;

import ai.djl.engine.Engine;
import dev.o2v.core.data.DataException;
import dev.o2v.core.prepare.Tokenizer;
import dev.o2v.core.prepare.TokenizerDescription;
import dev.o2v.core.prepare.WordTokenizer;

/** Creates the tokenizer a {@link TokenizerDescription} names. */
final class TextTokenizers {

  /** The class of DJL's Hugging Face binding, an optional dependency of o2v-inference. */
  static final String HUGGING_FACE_CLASS = "ai.djl.huggingface.tokenizers.HuggingFaceTokenizer";

  private TextTokenizers() {}

  /**
   * The tokenizer of {@code description}; close it when done (a Hugging Face tokenizer holds
   * native memory).
   *
   * @param source where the description came from, for messages
   * @throws DataException naming {@code source} and the missing artifact when a Hugging Face
   *     tokenizer is described but DJL's tokenizers jar is not on the classpath
   */
  static Tokenizer create(TokenizerDescription description, String source) {
    return switch (description.type()) {
      case WORD -> new WordTokenizer(description.lowercase());
      case HUGGING_FACE -> {
        requireClass(HUGGING_FACE_CLASS, source);
        yield HfTokenizer.fromJson(
            description.huggingFaceJson().orElseThrow(), description.lowercase(), source);
      }
    };
  }

  /**
   * Checks that the optional Hugging Face binding is on the classpath before its first use, so
   * that a missing jar is one line naming the artifact instead of a linkage error.
   */
  static void requireClass(String className, String source) {
    try {
      Class.forName(className, false, TextTokenizers.class.getClassLoader());
    } catch (ClassNotFoundException | LinkageError e) {
      throw new DataException(source + ": a Hugging Face tokenizer needs DJL's tokenizers jar;"
          + " add the dependency ai.djl.huggingface:tokenizers:" + Engine.getDjlVersion());
    }
  }
}
