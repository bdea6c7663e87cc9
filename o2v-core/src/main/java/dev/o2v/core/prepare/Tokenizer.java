package dev.o2v.core.prepare;

import java.util.List;

/** Splits one piece of text into the token strings a vocabulary maps to ids. */
public interface Tokenizer extends AutoCloseable {

  /** The tokens of {@code text}, in order; empty only when the text holds no token at all. */
  List<String> tokenize(String text);

  /** Releases native resources, if any; the default holds none. */
  @Override
  default void close() {}
}
