package dev.o2v.inference;

import dev.o2v.core.data.Channel;
import dev.o2v.core.data.DataFormatException;
import dev.o2v.core.data.DataSchema;
import dev.o2v.core.data.JsonlRecordReader;
import dev.o2v.core.io.IoReasons;
import dev.o2v.inference.InferenceInstance;
import dev.o2v.train.runtime.StepThreads;
import dev.o2v.train.runtime.StepWork;
import dev.o2v.train.runtime.TaskFailures;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers every record of a JSON Lines channel with bounded memory, writing result {@code i} for
 * input record {@code i} (blank lines are skipped and get no result).
 *
 * <p>A pipeline of three stages: a reader thread parses lines and groups them into batches of
 * {@code batchSize}; {@code workers} threads run the model on batches concurrently; the calling
 * thread writes the batches' results in input order. At most {@code 2 * workers} batches are in
 * flight, so memory does not grow with the input. A bad line ends the job with a {@link
 * DataFormatException} ({@code FILE:LINE: reason}) after the results of the lines before it.
 */
public final class BatchInferenceJob {

  private static final Logger LOG = LoggerFactory.getLogger(BatchInferenceJob.class);
  /** How long a failed job waits for batches in the model to finish (5 minutes). */
  private static final long WORKER_DRAIN_NANOS = TimeUnit.MINUTES.toNanos(5);

  /**
   * How to run the job.
   *
   * @param requests how a line becomes a request (predict or embed mode)
   * @param lengths truncation per side, or null for the model's {@code max_seq_len}
   * @param batchSize input lines per batch, at least 1
   * @param workers threads running the model, at least 1
   */
  public record Options(
      LineRequests requests, TruncationLengths lengths, int batchSize, int workers) {

    /** Checks the counts. */
    public Options {
      if (requests == null) {
        throw new IllegalArgumentException("requests must not be null");
      }
      if (batchSize < 1 || workers < 1) {
        throw new IllegalArgumentException(
            "batchSize and workers must be >= 1, found " + batchSize + " and " + workers);
      }
    }
  }

  /** What a finished job did: records answered and how long it took. */
  public record Summary(long records, double seconds) {
    /** Records per second. */
    public double rate() {
      return seconds > 0 ? records / seconds : 0;
    }
  }

  /**
   * A batch of requests with where each came from; {@code idsChecked} when the reader checked
   * every id against the vocabulary already.
   */
  private record LineBatch(
      List<InferenceInstance> records, List<String> sources, long[] lines, boolean idsChecked) {}

  private static final List<InferenceResult> END = List.of();

  private final InferenceRunner runner;
  private final Options options;
  private final JsonlRecordReader reader;

  /** A job over {@code runner}'s model. */
  public BatchInferenceJob(InferenceRunner runner, Options options) {
    this.runner = runner;
    this.options = options;
    // The reader cuts and filters each side as the runner would (the runner doing it again changes
    // nothing), with the model's meaning of id 0.
    DataSchema schema =
        DataSchema.forInference(runner.hyperparameters()).withZeroIds(runner.zeroIds());
    if (options.lengths() != null) {
      schema = schema.withMaxSeqLens(options.lengths().in0(), options.lengths().in1());
    }
    this.reader = new JsonlRecordReader(schema);
  }

  /**
   * Reads {@code input}, writes every result to {@code writer} and finishes it.
   *
   * @throws DataFormatException for the first bad line; earlier results were written
   * @throws IOException when writing fails
   */
  public Summary run(Channel input, ResultWriter writer, InferenceProgress progress)
      throws IOException {
    return run(BatchInput.lines(input), writer, progress);
  }

  /**
   * Answers every request of {@code input}, writes every result to {@code writer} and finishes
   * it.
   *
   * @throws DataFormatException for the first bad request; earlier results were written
   * @throws IOException when writing fails
   */
  public Summary run(BatchInput input, ResultWriter writer, InferenceProgress progress)
      throws IOException {
    long start = System.nanoTime();
    BlockingQueue<Future<List<InferenceResult>>> pending =
        new ArrayBlockingQueue<>(2 * options.workers());
    ExecutorService pool = Executors.newFixedThreadPool(options.workers(),
        workerThreads(StepWork.of(runner.hyperparameters(), options.batchSize())));
    Thread readerThread = new Thread(() -> readInto(input, pool, pending), "o2v-infer-reader");
    readerThread.setDaemon(true);
    long written = 0;
    try {
      readerThread.start();
      while (true) {
        List<InferenceResult> results = await(pending.take());
        if (results == END) {
          break;
        }
        for (InferenceResult result : results) {
          writer.write(result);
        }
        written += results.size();
        progress.update(written);
      }
      writer.finish();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("batch inference interrupted");
    } finally {
      readerThread.interrupt();
      pool.shutdownNow();
      awaitWorkers(pool);
      progress.finish(written);
    }
    return new Summary(written, (System.nanoTime() - start) / 1e9);
  }

  /**
   * Runs the job into {@code out}, which appears only when the job succeeds: results go to a
   * hidden temporary file in the same directory, renamed to {@code out} at the end and deleted on
   * failure.
   */
  public Summary runToFile(
      Channel input, Path out, InferenceFormat format, InferenceProgress progress)
      throws IOException {
    return runToFile(BatchInput.lines(input), out, format, progress);
  }

  /** As {@link #runToFile(Channel, Path, InferenceFormat, InferenceProgress)}, on any input. */
  public Summary runToFile(
      BatchInput input, Path out, InferenceFormat format, InferenceProgress progress)
      throws IOException {
    if (format == InferenceFormat.NPY && !options.requests().embedsOnly()) {
      throw new IllegalArgumentException("npy output holds embeddings only; use embed mode");
    }
    Path target = out.toAbsolutePath();
    Path temp =
        target.resolveSibling("." + target.getFileName() + "." + System.nanoTime() + ".partial");
    boolean done = false;
    try {
      Summary summary;
      if (format == InferenceFormat.NPY) {
        try (FileChannel file =
                FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            ResultWriter writer = ResultWriter.npy(file, runner.embeddingWidth())) {
          summary = run(input, writer, progress);
        }
      } else {
        try (Writer text =
            new BufferedWriter(
                new OutputStreamWriter(
                    Files.newOutputStream(temp, StandardOpenOption.CREATE_NEW),
                    StandardCharsets.UTF_8),
                1 << 16)) {
          summary = runToStream(input, text, format, progress);
        }
      }
      Files.move(
          temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      done = true;
      return summary;
    } catch (InterruptedIOException e) {
      throw e;
    } catch (IOException e) {
      // The temporary file is an implementation detail; the user asked for out.
      throw new IOException(out + ": cannot write: " + IoReasons.of(e), e);
    } finally {
      if (!done) {
        deleteQuietly(temp);
      }
    }
  }

  /**
   * Waits for the workers to leave the model: after a failed write the caller goes on to free the
   * model's native memory (or the process exits), which must not happen under a running batch.
   */
  private static void awaitWorkers(ExecutorService pool) {
    boolean interrupted = false;
    long deadline = System.nanoTime() + WORKER_DRAIN_NANOS;
    while (!pool.isTerminated() && System.nanoTime() < deadline) {
      try {
        pool.awaitTermination(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (!pool.isTerminated()) {
      LOG.warn("a model batch is still running after {} s", WORKER_DRAIN_NANOS / 1_000_000_000L);
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Removes the temporary output after a failure; when even that fails (its directory is not
   * one), the failure that stopped the job is the one worth reporting.
   */
  private static void deleteQuietly(Path temp) {
    try {
      Files.deleteIfExists(temp);
    } catch (IOException e) {
      LOG.debug("cannot remove {}: {}", temp, e.toString());
    }
  }

  /** Runs the job into a text stream (e.g. standard output), which is flushed, not closed. */
  public Summary runToStream(
      Channel input, Writer out, InferenceFormat format, InferenceProgress progress)
      throws IOException {
    return runToStream(BatchInput.lines(input), out, format, progress);
  }

  /** As {@link #runToStream(Channel, Writer, InferenceFormat, InferenceProgress)}, on any input. */
  public Summary runToStream(
      BatchInput input, Writer out, InferenceFormat format, InferenceProgress progress)
      throws IOException {
    try (ResultWriter writer = ResultWriter.text(format, out)) {
      return run(input, writer, progress);
    }
  }

  /** The reader stage: parse, batch, submit; ends the queue with END or a failed future. */
  private void readInto(
      BatchInput input, ExecutorService pool,
      BlockingQueue<Future<List<InferenceResult>>> pending) {
    try {
      try (BatchInput.Cursor cursor = input.open(reader, options.requests())) {
        LineBatch batch = null;
        while (cursor.next()) {
          batch = batch == null ? newBatch(cursor.idsChecked()) : batch;
          batch.records().add(cursor.request());
          batch.sources().add(cursor.source());
          batch.lines()[batch.records().size() - 1] = cursor.line();
          if (batch.records().size() == options.batchSize()) {
            LineBatch full = batch;
            pending.put(pool.submit(() -> answer(full)));
            batch = null;
          }
        }
        if (batch != null) {
          LineBatch last = batch;
          pending.put(pool.submit(() -> answer(last)));
        }
      }
      pending.put(CompletableFuture.completedFuture(END));
    } catch (InterruptedException e) {
      // The writer stopped; nobody waits for more batches.
    } catch (RuntimeException e) {
      try {
        pending.put(CompletableFuture.failedFuture(e));
      } catch (InterruptedException stopped) {
        // The writer stopped first; its own error is the one reported.
      }
    }
  }

  private LineBatch newBatch(boolean idsChecked) {
    int n = options.batchSize();
    return new LineBatch(new ArrayList<>(n), new ArrayList<>(n), new long[n], idsChecked);
  }

  /** The compute stage: one batch through the model; bad records become FILE:LINE errors. */
  private List<InferenceResult> answer(LineBatch batch) {
    try {
      // Ids the reader checked against the vocabulary are not checked a second time.
      return batch.idsChecked()
          ? runner.inferChecked(batch.records(), options.lengths())
          : runner.infer(batch.records(), options.lengths());
    } catch (InvalidRecordException e) {
      int i = e.index();
      throw new DataFormatException(batch.sources().get(i), batch.lines()[i], e.reason());
    }
  }

  private static List<InferenceResult> await(Future<List<InferenceResult>> future)
      throws InterruptedException, IOException {
    try {
      return future.get();
    } catch (ExecutionException e) {
      throw new IOException(TaskFailures.rethrowUnchecked(e));
    }
  }

  /**
   * Daemon threads that run libtorch with the count {@link StepThreads} chooses for batches of
   * {@code work}, for their whole life (set once: changing the count clears the engine's caches).
   */
  private static java.util.concurrent.ThreadFactory workerThreads(StepWork work) {
    AtomicInteger count = new AtomicInteger();
    return task -> {
      Runnable withThreads = () -> {
        try (StepThreads.Scope threads = StepThreads.enter(work)) {
          task.run();
        }
      };
      Thread thread = new Thread(withThreads, "o2v-infer-worker-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
