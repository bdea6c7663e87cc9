package dev.o2v.core.prepare;

import java.util.ArrayList;
import java.util.List;

/**
 * The default tokenizer: word runs and single symbols.
 *
 * <p>After {@link TextNormalization} (NFC, optional lower case) the text is read code point by
 * code point:
 *
 * <ul>
 *   <li>a <b>word</b> is a maximal run of letters ({@code \p{L}}), combining marks ({@code \p{M}})
 *       and decimal digits ({@code \p{Nd}}): {@code "naïve"}, {@code "2024"}, {@code "b2b"};
 *   <li>white space, space separators, control and format characters (e.g. a zero-width space or
 *       a byte-order mark) separate tokens and are dropped;
 *   <li>every other code point (punctuation, symbols, emoji) is a token of its own.
 * </ul>
 *
 * <p>So {@code "Don't stop—it's 3.5 km!"} gives {@code don ' t stop — it ' s 3 . 5 km !} (lower
 * case). The rule needs no language data, never produces an empty token, and gives at least one
 * token for any text that is not blank.
 */
public final class WordTokenizer implements Tokenizer {

  private final boolean lowercase;

  /** A tokenizer that lower-cases first when {@code lowercase}. */
  public WordTokenizer(boolean lowercase) {
    this.lowercase = lowercase;
  }

  @Override
  public List<String> tokenize(String text) {
    String normalized = TextNormalization.apply(text, lowercase);
    List<String> tokens = new ArrayList<>();
    int wordStart = -1;
    int i = 0;
    while (i < normalized.length()) {
      int cp = normalized.codePointAt(i);
      int next = i + Character.charCount(cp);
      if (isWordPart(cp)) {
        if (wordStart < 0) {
          wordStart = i;
        }
      } else {
        if (wordStart >= 0) {
          tokens.add(normalized.substring(wordStart, i));
          wordStart = -1;
        }
        if (!isSeparator(cp)) {
          tokens.add(normalized.substring(i, next));
        }
      }
      i = next;
    }
    if (wordStart >= 0) {
      tokens.add(normalized.substring(wordStart));
    }
    return tokens;
  }

  private static boolean isWordPart(int cp) {
    int type = Character.getType(cp);
    return Character.isLetter(cp)
        || type == Character.DECIMAL_DIGIT_NUMBER
        || type == Character.NON_SPACING_MARK
        || type == Character.COMBINING_SPACING_MARK
        || type == Character.ENCLOSING_MARK;
  }

  private static boolean isSeparator(int cp) {
    int type = Character.getType(cp);
    return Character.isWhitespace(cp)
        || Character.isSpaceChar(cp)
        || type == Character.CONTROL
        || type == Character.FORMAT;
  }
}
