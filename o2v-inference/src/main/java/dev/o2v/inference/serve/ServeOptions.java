package dev.o2v.inference.serve;

import java.time.Duration;
import java.util.Locale;

/**
 * How to run the server.
 *
 * @param host the address to bind
 * @param port the port to bind; 0 picks a free one
 * @param workers threads that run the model
 * @param maxBodyBytes larger request bodies are refused with 413
 * @param queueCapacity requests that may wait for a worker; more are refused with 503
 * @param maxBatchInstances a coalesced model batch stops growing at this many instances
 * @param batchWait how long a worker waits for more requests to join a batch
 * @param drainTimeout how long shutdown waits for requests in flight
 */
public record ServeOptions(
    String host,
    int port,
    int workers,
    int maxBodyBytes,
    int queueCapacity,
    int maxBatchInstances,
    Duration batchWait,
    Duration drainTimeout) {

  /** The default body limit, 6 MiB as in SageMaker's real-time endpoints. */
  public static final int DEFAULT_MAX_BODY_BYTES = 6 * 1024 * 1024;

  /** The longest drain, an hour: far beyond what a container's stop grace period allows. */
  public static final long MAX_DRAIN_SECONDS = 3600;

  /** Checks every value; the messages name the command-line option. */
  public ServeOptions {
    check(port >= 0 && port <= 65535, "--port must be in [0, 65535], found %d", port);
    check(workers >= 1 && workers <= 256, "--workers must be in [1, 256], found %d", workers);
    // Upper bounds keep a typo from allocating a huge queue or accepting gigabyte bodies.
    check(maxBodyBytes >= 1 && maxBodyBytes <= 1 << 30,
        "--max-body-bytes must be in [1, 1073741824], found %d", maxBodyBytes);
    check(queueCapacity >= 1 && queueCapacity <= 100_000,
        "--queue-capacity must be in [1, 100000], found %d", queueCapacity);
    check(maxBatchInstances >= 1 && maxBatchInstances <= 65_536,
        "--max-batch must be in [1, 65536], found %d", maxBatchInstances);
    check(!batchWait.isNegative() && batchWait.toMillis() <= 1000,
        "--batch-wait-ms must be in [0, 1000], found %d", batchWait.toMillis());
    check(!drainTimeout.isNegative() && drainTimeout.toSeconds() <= MAX_DRAIN_SECONDS,
        "--drain-seconds must be in [0, " + MAX_DRAIN_SECONDS + "], found %d",
        drainTimeout.toSeconds());
  }

  /** Loopback, a free port, one worker and the default limits (for tests and benchmarks). */
  public static ServeOptions loopback() {
    return new ServeOptions("127.0.0.1", 0, 1, DEFAULT_MAX_BODY_BYTES, 64, 512, Duration.ZERO,
        Duration.ofSeconds(30));
  }

  /** These options with another worker count. */
  public ServeOptions withWorkers(int count) {
    return new ServeOptions(host, port, count, maxBodyBytes, queueCapacity, maxBatchInstances,
        batchWait, drainTimeout);
  }

  /** These options with another body limit. */
  public ServeOptions withMaxBodyBytes(int bytes) {
    return new ServeOptions(host, port, workers, bytes, queueCapacity, maxBatchInstances,
        batchWait, drainTimeout);
  }

  /** These options with another queue capacity. */
  public ServeOptions withQueueCapacity(int capacity) {
    return new ServeOptions(host, port, workers, maxBodyBytes, capacity, maxBatchInstances,
        batchWait, drainTimeout);
  }

  /** These options with another batch wait. */
  public ServeOptions withBatchWait(Duration wait) {
    return new ServeOptions(host, port, workers, maxBodyBytes, queueCapacity, maxBatchInstances,
        wait, drainTimeout);
  }

  /** These options with another drain time. */
  public ServeOptions withDrainTimeout(Duration drain) {
    return new ServeOptions(host, port, workers, maxBodyBytes, queueCapacity, maxBatchInstances,
        batchWait, drain);
  }

  private static void check(boolean ok, String format, long value) {
    if (!ok) {
      throw new IllegalArgumentException(String.format(Locale.ROOT, format, value));
    }
  }
}
