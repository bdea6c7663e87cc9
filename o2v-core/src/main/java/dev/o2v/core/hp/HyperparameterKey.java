package dev.o2v.core.hp;

import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One entry of the hyperparameter catalog: a key's name, value type, valid range or values,
 * default, requirement and a one-line description.
 *
 * @param name the key as written in a hyperparameter file, e.g. {@code enc_dim}
 * @param type the kind of value accepted
 * @param requirement whether the key must be given
 * @param min smallest valid number for {@link HyperparameterType#INT}, {@link
 *     HyperparameterType#FLOAT} and {@link HyperparameterType#LAYERS}; null otherwise
 * @param max largest valid number, as for {@code min}
 * @param choices valid names for {@link HyperparameterType#ENUM} and {@link
 *     HyperparameterType#COMPARATOR_LIST}; empty otherwise
 * @param defaultValue the default in SageMaker's string form, or null when there is none
 * @param description one-line description
 */
public record HyperparameterKey(
    String name,
    HyperparameterType type,
    Requirement requirement,
    BigDecimal min,
    BigDecimal max,
    List<String> choices,
    String defaultValue,
    String description) {

  /** The characters a file name may contain, as a regular expression. */
  public static final String FILE_NAME_PATTERN = AuxiliaryFileName.PATTERN;

  /** Checks the entry is self-consistent. */
  public HyperparameterKey {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(requirement, "requirement");
    Objects.requireNonNull(description, "description");
    choices = List.copyOf(choices);
    boolean numeric =
        type == HyperparameterType.INT
            || type == HyperparameterType.FLOAT
            || type == HyperparameterType.LAYERS;
    if (numeric != (min != null)) {
      throw new IllegalArgumentException(name + ": numeric keys need a range, others none");
    }
    if (requirement == Requirement.REQUIRED && defaultValue != null
        || requirement == Requirement.OPTIONAL && defaultValue == null) {
      throw new IllegalArgumentException(name + ": required keys have no default, optional do");
    }
  }

  static HyperparameterKey integer(
      String name, long min, long max, Integer dflt, Requirement req, String description) {
    return new HyperparameterKey(
        name,
        HyperparameterType.INT,
        req,
        BigDecimal.valueOf(min),
        BigDecimal.valueOf(max),
        List.of(),
        dflt == null ? null : dflt.toString(),
        description);
  }

  static HyperparameterKey decimal(
      String name, String min, String max, String dflt, String description) {
    return new HyperparameterKey(
        name,
        HyperparameterType.FLOAT,
        Requirement.OPTIONAL,
        new BigDecimal(min),
        new BigDecimal(max),
        List.of(),
        dflt,
        description);
  }

  static HyperparameterKey bool(String name, boolean dflt, Requirement req, String description) {
    return new HyperparameterKey(
        name,
        HyperparameterType.BOOLEAN,
        req,
        null,
        null,
        List.of(),
        dflt ? "True" : "False",
        description);
  }

  static HyperparameterKey choice(
      String name, List<String> choices, String dflt, String description) {
    return new HyperparameterKey(
        name,
        HyperparameterType.ENUM,
        Requirement.OPTIONAL,
        null,
        null,
        choices,
        dflt,
        description);
  }

  static HyperparameterKey fileName(String name, String description) {
    return new HyperparameterKey(
        name,
        HyperparameterType.FILE_NAME,
        Requirement.CONDITIONAL,
        null,
        null,
        List.of(),
        "",
        description);
  }

  static HyperparameterKey comparatorList(
      String name, List<String> choices, String dflt, String description) {
    return new HyperparameterKey(
        name,
        HyperparameterType.COMPARATOR_LIST,
        Requirement.OPTIONAL,
        null,
        null,
        choices,
        dflt,
        description);
  }

  static HyperparameterKey layers(String name, int max, String description) {
    return new HyperparameterKey(
        name,
        HyperparameterType.LAYERS,
        Requirement.CONDITIONAL,
        BigDecimal.ONE,
        BigDecimal.valueOf(max),
        List.of(),
        "auto",
        description);
  }

  /** The default value in SageMaker's string form, if the key has one. */
  public Optional<String> defaultText() {
    return Optional.ofNullable(defaultValue);
  }

  /** The numeric range as {@code [min, max]}, e.g. {@code [4, 10000]}. */
  public String rangeText() {
    if (min == null) {
      throw new IllegalStateException(name + " has no numeric range");
    }
    return "[" + plain(min) + ", " + plain(max) + "]";
  }

  /** What a valid value looks like, e.g. {@code integer in [4, 10000]}; used in help tables. */
  public String typeAndRange() {
    return switch (type) {
      case INT -> "integer in " + rangeText();
      case FLOAT -> "float in " + rangeText();
      case BOOLEAN -> "True or False";
      case ENUM -> "one of " + String.join(", ", choices);
      case FILE_NAME -> "file name " + FILE_NAME_PATTERN + ", no leading dot, or empty";
      case COMPARATOR_LIST -> "comma list of " + String.join(", ", choices);
      case LAYERS -> "auto or integer in " + rangeText();
    };
  }

  /** Plain decimal text of a bound without trailing zeros, e.g. {@code 0.000001}. */
  static String plain(BigDecimal value) {
    return value.stripTrailingZeros().toPlainString();
  }
}
