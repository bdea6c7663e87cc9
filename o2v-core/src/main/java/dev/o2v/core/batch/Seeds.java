package dev.o2v.core.batch;

/** Derives independent, reproducible seeds for separate consumers of one user seed. */
public final class Seeds {

  private Seeds() {}

  /**
   * A well-mixed seed for stream {@code stream} of {@code seed}; distinct streams give unrelated
   * random sequences (Stafford's "mix13" finaliser applied twice).
   */
  public static long derive(long seed, long stream) {
    return mix(mix(seed) + 0x9E3779B97F4A7C15L * (stream + 1));
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
