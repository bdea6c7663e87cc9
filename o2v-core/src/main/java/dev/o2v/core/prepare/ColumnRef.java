package dev.o2v.core.prepare;

import java.util.Objects;

/**
 * A column chosen on the command line: a 0-based index, or a name looked up in the header row
 * (for JSON Lines, a field name).
 *
 * @param option the option that named the column, for messages ({@code --in0})
 * @param text the value as given
 */
public record ColumnRef(String option, String text) {

  public ColumnRef {
    Objects.requireNonNull(option, "option");
    Objects.requireNonNull(text, "text");
    if (text.isEmpty()) {
      throw new IllegalArgumentException(option + " must name a column, found ''");
    }
  }

  /** True when the value is a non-negative decimal index rather than a name. */
  public boolean isIndex() {
    return text.chars().allMatch(c -> c >= '0' && c <= '9') && text.length() <= 9;
  }

  /** The index; only when {@link #isIndex()}. */
  public int index() {
    return Integer.parseInt(text);
  }

  /** How messages show this column: {@code in0 (column 'sentence_A')}. */
  public String describe() {
    return option.replaceFirst("^--", "") + " (column '" + text + "')";
  }
}
