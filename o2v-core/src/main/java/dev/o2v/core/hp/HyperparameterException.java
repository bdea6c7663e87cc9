package dev.o2v.core.hp;

import java.util.List;

/**
 * Bad hyperparameters: carries every violation found, one line each, in the form {@code KEY must
 * be RULE, found VALUE}; the message joins them with newlines.
 */
public class HyperparameterException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final List<String> violations;

  /** Creates the exception from a non-empty list of violation lines. */
  public HyperparameterException(List<String> violations) {
    this(violations, null);
  }

  /** Creates the exception from violation lines and the error that caused them. */
  protected HyperparameterException(List<String> violations, Throwable cause) {
    super(String.join("\n", requireNonEmpty(violations)), cause);
    this.violations = List.copyOf(violations);
  }

  /** Every violation, one line each, in the order they were found. */
  public List<String> violations() {
    return violations;
  }

  private static List<String> requireNonEmpty(List<String> violations) {
    if (violations.isEmpty()) {
      throw new IllegalArgumentException("a hyperparameter exception needs a violation");
    }
    return violations;
  }
}
