package dev.o2v.core.prepare;

import java.util.Locale;

/** The layout of an input table for {@code o2v prepare}. */
public enum TableFormat {
  /**
   * Tab-separated values as IANA's {@code text/tab-separated-values} defines them: fields never
   * contain tabs or line breaks and are never quoted, so a line split at every tab is exact.
   */
  TSV,
  /** Comma-separated values with RFC 4180 quoting (a quoted field may span lines). */
  CSV,
  /** One JSON object per line; columns are field names. */
  JSONL;

  /** The format named {@code name} (any case). */
  public static TableFormat parse(String name) {
    for (TableFormat f : values()) {
      if (f.name().equalsIgnoreCase(name.strip())) {
        return f;
      }
    }
    throw new IllegalArgumentException("format must be tsv, csv or jsonl, found '" + name + "'");
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
