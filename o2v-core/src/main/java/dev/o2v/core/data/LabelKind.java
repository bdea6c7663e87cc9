package dev.o2v.core.data;

/** What the {@code label} field of a record must hold. */
public enum LabelKind {
  /** An integer class index in {@code [0, num_classes)}; required. */
  CLASS,
  /** A finite real number; required. */
  REGRESSION,
  /** Not read at all (inference): any value or none. */
  IGNORED
}
