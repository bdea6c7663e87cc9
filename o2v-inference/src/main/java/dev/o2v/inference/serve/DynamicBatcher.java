package dev.o2v.inference.serve;

import dev.o2v.inference.InferenceInstance;
import dev.o2v.inference.InferenceResult;
import dev.o2v.inference.InvalidRecordException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bounded queue of {@link InferenceJob}s served by worker threads that coalesce queued jobs
 * into one model batch.
 *
 * <p>A worker takes the oldest job, then keeps taking jobs with the same truncation lengths while
 * the batch holds fewer than {@code maxBatchInstances} instances and, when {@code maxWait} is
 * positive, until that wait has passed. With {@code maxWait} zero it only gathers what is already
 * queued, so a lone request never waits, and batches grow by themselves under load.
 *
 * <p>When the model rejects an instance of a coalesced batch, each job of the batch is run on its
 * own so that only the faulty request fails.
 */
public final class DynamicBatcher implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(DynamicBatcher.class);
  private static final long IDLE_POLL_MILLIS = 50;

  private final Predictor predictor;
  private final BlockingQueue<InferenceJob> queue;
  private final int maxBatchInstances;
  private final long maxWaitNanos;
  private final List<Thread> workers = new ArrayList<>();
  private final AtomicLong batches = new AtomicLong();
  private final AtomicLong instances = new AtomicLong();
  private volatile boolean closing;

  /**
   * Starts {@code workerCount} worker threads.
   *
   * @param queueCapacity most requests waiting at once; {@link #offer} refuses more
   * @param maxBatchInstances a batch stops growing at this many instances (a single larger request
   *     still runs whole)
   * @param maxWait how long a worker waits for more requests to join a batch
   */
  public DynamicBatcher(
      Predictor predictor,
      int workerCount,
      int queueCapacity,
      int maxBatchInstances,
      Duration maxWait) {
    if (workerCount < 1 || queueCapacity < 1 || maxBatchInstances < 1 || maxWait.isNegative()) {
      throw new IllegalArgumentException(String.format(java.util.Locale.ROOT,
          "need workers, queue capacity and batch size >= 1 and a wait >= 0, found %d, %d, %d, %s",
          workerCount, queueCapacity, maxBatchInstances, maxWait));
    }
    this.predictor = predictor;
    this.queue = new ArrayBlockingQueue<>(queueCapacity);
    this.maxBatchInstances = maxBatchInstances;
    this.maxWaitNanos = maxWait.toNanos();
    for (int i = 0; i < workerCount; i++) {
      Thread worker = new Thread(this::work, "o2v-infer-" + i);
      worker.setDaemon(true);
      workers.add(worker);
      worker.start();
    }
  }

  /** The failure of a job still queued when the batcher closed. */
  static final class ShutDownException extends IllegalStateException {
    ShutDownException() {
      super("server shut down before the request was run");
    }
  }

  /** Queues a job; false when the queue is full or the batcher is closing. */
  public boolean offer(InferenceJob job) {
    return !closing && queue.offer(job);
  }

  /** Requests waiting for a worker. */
  public int queued() {
    return queue.size();
  }

  /** Model batches run so far. */
  public long batchCount() {
    return batches.get();
  }

  /** Instances answered so far (batch count and this give the mean batch size). */
  public long instanceCount() {
    return instances.get();
  }

  /**
   * Refuses new jobs, lets the workers finish every queued one and waits for them up to {@code
   * timeout}; jobs still queued after that fail.
   *
   * @return true when every worker has ended
   */
  public boolean close(Duration timeout) {
    closing = true;
    long deadline = System.nanoTime() + timeout.toNanos();
    for (Thread worker : workers) {
      try {
        worker.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    for (InferenceJob job; (job = queue.poll()) != null; ) {
      job.result().completeExceptionally(new ShutDownException());
    }
    return workers.stream().noneMatch(Thread::isAlive);
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(30));
  }

  private void work() {
    InferenceJob carried = null;
    while (true) {
      InferenceJob first = carried;
      carried = null;
      if (first == null) {
        first = take();
        if (first == null) {
          if (closing && queue.isEmpty()) {
            return;
          }
          continue;
        }
      }
      List<InferenceJob> batch = new ArrayList<>();
      batch.add(first);
      carried = gather(batch);
      run(batch);
    }
  }

  /** Adds queued jobs to {@code batch}; returns a taken job that did not fit, or null. */
  private InferenceJob gather(List<InferenceJob> batch) {
    InferenceJob first = batch.get(0);
    int count = first.size();
    long deadline = System.nanoTime() + maxWaitNanos;
    while (count < maxBatchInstances) {
      InferenceJob next = maxWaitNanos == 0 ? queue.poll() : poll(deadline - System.nanoTime());
      if (next == null) {
        return null;
      }
      if (!next.lengths().equals(first.lengths()) || count + next.size() > maxBatchInstances) {
        return next;
      }
      batch.add(next);
      count += next.size();
    }
    return null;
  }

  private InferenceJob take() {
    return poll(TimeUnit.MILLISECONDS.toNanos(IDLE_POLL_MILLIS));
  }

  private InferenceJob poll(long nanos) {
    try {
      return nanos <= 0 ? queue.poll() : queue.poll(nanos, TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  private void run(List<InferenceJob> batch) {
    List<InferenceInstance> all = new ArrayList<>();
    for (InferenceJob job : batch) {
      all.addAll(job.instances());
    }
    try {
      List<InferenceResult> predictions = predictor.predict(all, batch.get(0).lengths());
      if (predictions.size() != all.size()) {
        throw new IllegalStateException(
            "the model answered " + predictions.size() + " of " + all.size() + " instances");
      }
      batches.incrementAndGet();
      instances.addAndGet(all.size());
      int from = 0;
      for (InferenceJob job : batch) {
        job.result().complete(List.copyOf(predictions.subList(from, from + job.size())));
        from += job.size();
      }
    } catch (InvalidRecordException e) {
      if (batch.size() == 1) {
        batch.get(0).result().completeExceptionally(e);
      } else {
        for (InferenceJob job : batch) {
          run(List.of(job));
        }
      }
    } catch (RuntimeException | Error e) {
      // Each request's handler logs the failure with its request id.
      LOG.debug("inference of a batch of {} requests failed: {}", batch.size(), e.toString());
      for (InferenceJob job : batch) {
        job.result().completeExceptionally(e);
      }
    }
  }
}
