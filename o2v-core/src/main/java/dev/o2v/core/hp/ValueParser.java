package dev.o2v.core.hp;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Turns one raw value (a string in SageMaker's form, or a JSON number or boolean) into the typed
 * value its catalog entry declares, or into violation lines of the form {@code KEY must be RULE,
 * found VALUE}.
 *
 * <p>Typed results: INT and LAYERS give {@link Integer} ({@link #LAYERS_AUTO} for {@code auto}),
 * FLOAT gives a finite {@link Double}, BOOLEAN a {@link Boolean}, ENUM and FILE_NAME a {@link
 * String} (lower-cased for ENUM, possibly empty for FILE_NAME), COMPARATOR_LIST a {@code
 * List<ComparatorOp>}.
 */
final class ValueParser {

  /** The integer standing for {@code auto} in a parsed LAYERS value. */
  static final int LAYERS_AUTO = 0;

  /** Longest part of a value repeated in a violation. */
  private static final int MAX_SHOWN_CHARS = 80;

  private static final Pattern DECIMAL =
      Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");

  private ValueParser() {}

  /**
   * Parses {@code raw} for {@code key}; returns the typed value, or null after passing one or more
   * violation lines to {@code violations}.
   */
  static Object parse(HyperparameterKey key, Object raw, Consumer<String> violations) {
    Object value = normalize(raw);
    return switch (key.type()) {
      case INT -> parseInt(key, value, violations);
      case FLOAT -> parseFloat(key, value, violations);
      case BOOLEAN -> parseBoolean(key, value, violations);
      case ENUM -> parseChoice(key, value, violations);
      case FILE_NAME -> parseFileName(key, value, violations);
      case COMPARATOR_LIST -> parseComparators(key, value, violations);
      case LAYERS -> parseLayers(key, value, violations);
    };
  }

  /**
   * How a raw value is shown in a violation: strings that are empty or hold spaces are quoted;
   * control and line-separator characters are escaped and long values shortened, so a violation
   * stays one readable line whatever the input held.
   */
  static String display(Object raw) {
    Object value = normalize(raw);
    if (value instanceof String text) {
      boolean plain = !text.isEmpty() && text.chars().noneMatch(c -> c == ',' || c <= ' ');
      return plain ? printable(text) : "'" + printable(text) + "'";
    }
    return printable(String.valueOf(value));
  }

  /** {@code text} with control characters escaped, cut to {@link #MAX_SHOWN_CHARS}. */
  static String printable(String text) {
    StringBuilder out = new StringBuilder();
    int end = Math.min(text.length(), MAX_SHOWN_CHARS);
    for (int i = 0; i < end; i++) {
      char c = text.charAt(i);
      if (c == '\n') {
        out.append("\\n");
      } else if (c == '\r') {
        out.append("\\r");
      } else if (c == '\t') {
        out.append("\\t");
      } else if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
        out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    if (text.length() > end) {
      out.append(String.format(Locale.ROOT, "... (%d chars)", text.length()));
    }
    return out.toString();
  }

  /**
   * The value of {@code raw} when it is a whole number that fits an int (whatever the key's
   * range), else null; lets a cross-key rule accept an out-of-range value it derives itself.
   */
  static Integer wholeNumber(Object raw) {
    BigDecimal number = toDecimal(normalize(raw));
    if (number == null || number.stripTrailingZeros().scale() > 0) {
      return null;
    }
    try {
      return number.intValueExact();
    } catch (ArithmeticException e) {
      return null;
    }
  }

  private static Object normalize(Object raw) {
    return raw instanceof String text ? text.strip() : raw;
  }

  private static Integer parseInt(HyperparameterKey key, Object value, Consumer<String> out) {
    BigDecimal number = toDecimal(value);
    if (number == null || number.stripTrailingZeros().scale() > 0) {
      out.accept(key.name() + " must be an integer, found " + display(value));
      return null;
    }
    if (number.compareTo(key.min()) < 0 || number.compareTo(key.max()) > 0) {
      out.accept(key.name() + " must be in " + key.rangeText() + ", found " + display(value));
      return null;
    }
    return number.intValueExact();
  }

  private static Double parseFloat(HyperparameterKey key, Object value, Consumer<String> out) {
    BigDecimal number = toDecimal(value);
    double real = number == null ? Double.NaN : number.doubleValue();
    if (!Double.isFinite(real)) {
      out.accept(key.name() + " must be a finite number, found " + display(value));
      return null;
    }
    if (real < key.min().doubleValue() || real > key.max().doubleValue()) {
      out.accept(key.name() + " must be in " + key.rangeText() + ", found " + display(value));
      return null;
    }
    // -0.0 and 0.0 are the same setting; keep one so equal inputs give equal records.
    return real == 0.0 ? 0.0 : real;
  }

  private static Boolean parseBoolean(HyperparameterKey key, Object value, Consumer<String> out) {
    if (value instanceof Boolean flag) {
      return flag;
    }
    if (value instanceof String text) {
      if (text.equalsIgnoreCase("true")) {
        return Boolean.TRUE;
      }
      if (text.equalsIgnoreCase("false")) {
        return Boolean.FALSE;
      }
    }
    out.accept(key.name() + " must be true or false, found " + display(value));
    return null;
  }

  private static String parseChoice(HyperparameterKey key, Object value, Consumer<String> out) {
    if (value instanceof String text) {
      String lower = text.toLowerCase(Locale.ROOT);
      if (key.choices().contains(lower)) {
        return lower;
      }
    }
    String message =
        key.name() + " must be one of " + String.join(", ", key.choices())
            + ", found " + display(value);
    if (value instanceof String text) {
      message += HyperparameterCatalog.nearest(text, key.choices())
          .map(near -> "; did you mean '" + near + "'?")
          .orElse("");
    }
    out.accept(message);
    return null;
  }

  private static String parseFileName(HyperparameterKey key, Object value, Consumer<String> out) {
    if (value instanceof String text && (text.isEmpty() || AuxiliaryFileName.isValid(text))) {
      return text;
    }
    out.accept(
        key.name() + " must be empty or a file name of " + AuxiliaryFileName.RULE
            + ", found " + display(value));
    return null;
  }

  private static List<ComparatorOp> parseComparators(
      HyperparameterKey key, Object value, Consumer<String> out) {
    String allowed = String.join(", ", key.choices());
    if (!(value instanceof String text) || text.isEmpty()) {
      out.accept(key.name() + " must be a comma-separated list of " + allowed
          + ", found " + display(value));
      return null;
    }
    List<ComparatorOp> ops = new ArrayList<>();
    Set<ComparatorOp> seen = EnumSet.noneOf(ComparatorOp.class);
    boolean valid = true;
    for (String item : text.split(",", -1)) {
      String name = item.strip().toLowerCase(Locale.ROOT);
      ComparatorOp op = comparatorNamed(name);
      if (name.isEmpty()) {
        out.accept(key.name() + " must not have empty entries, found " + display(text));
        valid = false;
      } else if (op == null) {
        out.accept(key.name() + " must contain only " + allowed + ", found " + display(name));
        valid = false;
      } else if (!seen.add(op)) {
        out.accept(key.name() + " must name each operator once, found " + name + " twice");
        valid = false;
      } else {
        ops.add(op);
      }
    }
    return valid ? List.copyOf(ops) : null;
  }

  private static Integer parseLayers(HyperparameterKey key, Object value, Consumer<String> out) {
    if (value instanceof String text && text.equalsIgnoreCase("auto")) {
      return LAYERS_AUTO;
    }
    BigDecimal number = toDecimal(value);
    if (number == null
        || number.stripTrailingZeros().scale() > 0
        || number.compareTo(key.min()) < 0
        || number.compareTo(key.max()) > 0) {
      out.accept(key.name() + " must be auto or an integer in " + key.rangeText()
          + ", found " + display(value));
      return null;
    }
    return number.intValueExact();
  }

  private static ComparatorOp comparatorNamed(String name) {
    for (ComparatorOp op : ComparatorOp.values()) {
      if (op.key().equals(name)) {
        return op;
      }
    }
    return null;
  }

  /** The exact decimal value of a number or numeric string; null for anything else. */
  private static BigDecimal toDecimal(Object value) {
    try {
      if (value instanceof BigDecimal decimal) {
        return decimal;
      }
      if (value instanceof BigInteger big) {
        return new BigDecimal(big);
      }
      if (value instanceof Double || value instanceof Float) {
        double real = ((Number) value).doubleValue();
        return Double.isFinite(real) ? new BigDecimal(Double.toString(real)) : null;
      }
      if (value instanceof Number number) {
        return new BigDecimal(number.toString());
      }
      if (value instanceof String text && DECIMAL.matcher(text).matches()) {
        return new BigDecimal(text);
      }
    } catch (NumberFormatException | ArithmeticException e) {
      // An exponent too large for BigDecimal: not a usable number, reported by the caller.
    }
    return null;
  }
}
