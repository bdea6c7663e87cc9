package dev.o2v.core.prepare;

import java.util.Locale;

/** Whether labels are class indexes (softmax head) or numbers to regress (MSE head). */
public enum LabelTask {
  /**
   * Classification when a label map is given, or when every label is a plain integer and the
   * distinct labels are exactly 0..k-1 with 2 ≤ k ≤ 30; regression otherwise.
   */
  AUTO,
  /** Class indexes: mapped names, or integers 0..29. */
  CLASSIFICATION,
  /** Finite numbers, written through unchanged. */
  REGRESSION;

  /** The task named {@code name} (any case). */
  public static LabelTask parse(String name) {
    for (LabelTask t : values()) {
      if (t.name().equalsIgnoreCase(name.strip())) {
        return t;
      }
    }
    throw new IllegalArgumentException(
        "task must be auto, classification or regression, found '" + name + "'");
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
