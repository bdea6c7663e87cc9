package dev.o2v.benchmarks.soak;

import java.time.Duration;

/**
 * How long and how hard to soak the server.
 *
 * @param duration how long clients keep sending
 * @param clients concurrent request loops
 * @param maxRequestsPerClient a client stops after this many requests even if time remains
 * @param sampleEvery how often heap and RSS are sampled
 * @param seed seeds every client's choice of request
 */
public record SoakConfig(
    Duration duration, int clients, int maxRequestsPerClient, Duration sampleEvery, long seed) {

  /** Checks every value is positive. */
  public SoakConfig {
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException("soak duration must be positive, found " + duration);
    }
    if (clients < 1 || clients > 256) {
      throw new IllegalArgumentException("soak clients must be in [1, 256], found " + clients);
    }
    if (maxRequestsPerClient < 1) {
      throw new IllegalArgumentException(
          "soak requests per client must be >= 1, found " + maxRequestsPerClient);
    }
    if (sampleEvery.isNegative() || sampleEvery.isZero()) {
      throw new IllegalArgumentException("soak sample interval must be positive: " + sampleEvery);
    }
  }
}
