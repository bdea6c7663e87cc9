package dev.o2v.core.hp;

/** Whether a hyperparameter key must be given. */
public enum Requirement {
  /** Must always be given; there is no default. */
  REQUIRED("required"),
  /** Needed or used only when another key has a certain value. */
  CONDITIONAL("conditional"),
  /** May be left out; the default applies. */
  OPTIONAL("optional");

  private final String label;

  Requirement(String label) {
    this.label = label;
  }

  /** Lower-case name used in help tables. */
  public String label() {
    return label;
  }
}
