package dev.o2v.core.prepare;

import java.util.Locale;

/** What an input column holds: text to tokenize, or integer ids that pass through. */
public enum ColumnKind {
  /** Ids when every value of the column is a non-negative integer, else text. */
  AUTO,
  /** Text, tokenized and mapped through a vocabulary. */
  TEXT,
  /** One non-negative integer id per value, used as a one-token sequence. */
  IDS;

  /** The kind named {@code name} (any case). */
  public static ColumnKind parse(String name) {
    for (ColumnKind k : values()) {
      if (k.key().equalsIgnoreCase(name.strip())) {
        return k;
      }
    }
    throw new IllegalArgumentException(
        "column kind must be auto, text or ids, found '" + name + "'");
  }

  /** The lower-case name used in files and on the command line. */
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }
}
