package dev.o2v.core.hp;

/** The kind of value a hyperparameter key accepts, which selects how its raw text is parsed. */
public enum HyperparameterType {
  /** A whole number; {@code "30"}, {@code 30} and {@code 30.0} are accepted. */
  INT("integer"),
  /** A finite decimal number. */
  FLOAT("float"),
  /** {@code true} or {@code false} in any letter case, or a JSON boolean. */
  BOOLEAN("boolean"),
  /** One of a fixed set of lower-case names. */
  ENUM("enum"),
  /** An optional file name in the auxiliary directory; empty means "none". */
  FILE_NAME("file name"),
  /** A comma-separated list of comparator operator names. */
  COMPARATOR_LIST("comparator list"),
  /** {@code auto} or a whole number of encoder layers. */
  LAYERS("layers"),
  ;

  private final String label;

  HyperparameterType(String label) {
    this.label = label;
  }

  /** Short human-readable name of the type, used in help tables. */
  public String label() {
    return label;
  }
}
