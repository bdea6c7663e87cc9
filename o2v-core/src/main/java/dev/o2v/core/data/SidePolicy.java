package dev.o2v.core.data;

/** Which of the two sequence fields a record must carry. */
public enum SidePolicy {
  /** Both {@code in0} and {@code in1} (training, validation, test). */
  BOTH_REQUIRED,
  /** {@code in0}, {@code in1} or both (inference: one side means "embed", two mean "score"). */
  AT_LEAST_ONE
}
