package dev.o2v.core.prepare;

import java.text.Normalizer;
import java.util.Locale;

/**
 * The normalization applied to text before any tokenizer: Unicode NFC (so a precomposed and a
 * decomposed "é" give the same token), then, when asked, lower case by {@link Locale#ROOT} rules.
 */
public final class TextNormalization {

  private TextNormalization() {}

  /** {@code text} in NFC, lower-cased when {@code lowercase}. */
  public static String apply(String text, boolean lowercase) {
    String nfc = Normalizer.normalize(text, Normalizer.Form.NFC);
    return lowercase ? nfc.toLowerCase(Locale.ROOT) : nfc;
  }
}
