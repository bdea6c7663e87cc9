package dev.o2v.benchmarks;

import ai.djl.Device;
import dev.o2v.inference.InferenceRunner;
import dev.o2v.inference.serve.InferenceServer;
import dev.o2v.inference.serve.RunnerPredictor;
import dev.o2v.inference.serve.ServeOptions;
import dev.o2v.train.model.TrainedModel;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Drives {@code POST /invocations} with concurrent clients and reports requests/s, instances/s,
 * p50/p99 latency and errors, first for pair scoring, then for embeddings.
 *
 * <p>Usage: {@code ServeLoadBenchmark --model-dir DIR [--seconds 60] [--clients 16]
 * [--instances 1] [--workers 1] [--batch-wait-ms 0] [--intra-op-threads 1]} starts the server
 * in-process on loopback; {@code --url http://host:port --vocab V --max-len L} drives a running one instead. Each phase is
 * preceded by a warm-up of a fifth of its duration (at most 5 s) that is not counted.
 */
public final class ServeLoadBenchmark {

  private ServeLoadBenchmark() {}

  /** Entry point. */
  public static void main(String[] args) throws Exception {
    Map<String, String> opts = parse(args);
    int seconds = Integer.parseInt(opts.getOrDefault("seconds", "60"));
    int clients = Integer.parseInt(opts.getOrDefault("clients", "16"));
    int perRequest = Integer.parseInt(opts.getOrDefault("instances", "1"));
    print("load average at start: %s", loadAverage());
    if (opts.containsKey("url")) {
      URI uri = URI.create(opts.get("url"));
      int vocab = Integer.parseInt(opts.getOrDefault("vocab", "300"));
      int maxLen = Integer.parseInt(opts.getOrDefault("max-len", "20"));
      runPhases(uri, null, vocab, maxLen, seconds, clients, perRequest);
    } else {
      Path modelDir = Path.of(required(opts, "model-dir"));
      // As o2v serve does by default: one libtorch thread per model call.
      System.setProperty("ai.djl.pytorch.num_threads", opts.getOrDefault("intra-op-threads", "1"));
      ServeOptions options = ServeOptions.loopback()
          .withWorkers(Integer.parseInt(opts.getOrDefault("workers", "1")))
          .withQueueCapacity(1024)
          .withBatchWait(
              Duration.ofMillis(Long.parseLong(opts.getOrDefault("batch-wait-ms", "0"))));
      try (TrainedModel model = TrainedModel.load(modelDir, Device.cpu())) {
        InferenceServer server =
            InferenceServer.start(new RunnerPredictor(new InferenceRunner(model)), options);
        try {
          print("server %s: %d worker(s), batch wait %d ms, %d clients, %d instance(s)/request",
              server.uri(), options.workers(), options.batchWait().toMillis(), clients,
              perRequest);
          int vocab = Math.min(model.hyperparameters().enc0().vocabSize(),
              model.hyperparameters().enc1().vocabSize());
          int maxLen = model.hyperparameters().enc0().maxSeqLen();
          runPhases(server.uri(), server, vocab, maxLen, seconds, clients, perRequest);
        } finally {
          server.close();
        }
      }
    }
    print("load average at end: %s", loadAverage());
  }

  private static void runPhases(URI uri, InferenceServer server, int vocab, int maxLen,
      int seconds, int clients, int perRequest) throws Exception {
    for (boolean pairs : new boolean[] {true, false}) {
      List<String> bodies = bodies(pairs, vocab, maxLen, perRequest);
      int warmUp = Math.min(5, Math.max(1, seconds / 5));
      drive(uri, bodies, warmUp, clients);
      long batches0 = server == null ? 0 : server.batcher().batchCount();
      long instances0 = server == null ? 0 : server.batcher().instanceCount();
      Result result = drive(uri, bodies, seconds, clients);
      String batching = "";
      if (server != null) {
        long batches = server.batcher().batchCount() - batches0;
        long instances = server.batcher().instanceCount() - instances0;
        batching = String.format(Locale.ROOT, ", mean model batch %.1f instances",
            batches == 0 ? 0.0 : (double) instances / batches);
      }
      print("%-10s %8.1f req/s %9.1f inst/s  p50 %7.2f ms  p99 %7.2f ms  errors %d%s",
          pairs ? "pairs" : "embeddings", result.requests / result.seconds,
          result.requests * perRequest / result.seconds, result.percentile(0.50),
          result.percentile(0.99), result.errors, batching);
    }
  }

  /** Pre-built request bodies with seeded random ids. */
  private static List<String> bodies(boolean pairs, int vocab, int maxLen, int perRequest) {
    SplittableRandom rng = new SplittableRandom(pairs ? 1 : 2);
    List<String> bodies = new ArrayList<>();
    for (int b = 0; b < 256; b++) {
      StringBuilder body = new StringBuilder("{\"instances\": [");
      for (int i = 0; i < perRequest; i++) {
        body.append(i == 0 ? "" : ", ").append("{\"in0\": ").append(ids(rng, vocab, maxLen));
        if (pairs) {
          body.append(", \"in1\": ").append(ids(rng, vocab, maxLen));
        }
        body.append('}');
      }
      bodies.add(body.append("]}").toString());
    }
    return bodies;
  }

  private static String ids(SplittableRandom rng, int vocab, int maxLen) {
    int[] ids = new int[1 + rng.nextInt(maxLen)];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = rng.nextInt(vocab);
    }
    return Arrays.toString(ids);
  }

  /** What one phase measured. */
  private static final class Result {
    long requests;
    long errors;
    double seconds;
    long[] latencies = new long[0];

    double percentile(double p) {
      if (latencies.length == 0) {
        return Double.NaN;
      }
      return latencies[(int) Math.min(latencies.length - 1, p * latencies.length)] / 1e6;
    }
  }

  private static Result drive(URI uri, List<String> bodies, int seconds, int clients)
      throws Exception {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(10)).build();
    URI target = uri.resolve("/invocations");
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    long start = System.nanoTime();
    long end = start + seconds * 1_000_000_000L;
    List<Future<long[]>> futures = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      int client = c;
      futures.add(pool.submit(() -> clientLoop(http, target, bodies, client, end)));
    }
    Result result = new Result();
    List<long[]> all = new ArrayList<>();
    for (Future<long[]> future : futures) {
      long[] latencies = future.get();
      result.errors += latencies[0];
      all.add(Arrays.copyOfRange(latencies, 1, latencies.length));
    }
    result.seconds = (System.nanoTime() - start) / 1e9;
    pool.shutdown();
    result.latencies = all.stream().flatMapToLong(Arrays::stream).sorted().toArray();
    result.requests = result.latencies.length;
    return result;
  }

  /** Returns {@code [errors, latency...]} of successful requests in nanoseconds. */
  private static long[] clientLoop(HttpClient http, URI target, List<String> bodies, int client,
      long end) {
    long[] latencies = new long[1024];
    int count = 1;
    long errors = 0;
    for (int i = client; System.nanoTime() < end; i += 7) {
      HttpRequest request = HttpRequest.newBuilder(target)
          .timeout(Duration.ofSeconds(60))
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(bodies.get(i % bodies.size())))
          .build();
      long t0 = System.nanoTime();
      try {
        HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() != 200) {
          errors++;
          continue;
        }
      } catch (IOException e) {
        errors++;
        continue;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      if (count == latencies.length) {
        latencies = Arrays.copyOf(latencies, count * 2);
      }
      latencies[count++] = System.nanoTime() - t0;
    }
    latencies[0] = errors;
    return Arrays.copyOf(latencies, count);
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (IOException e) {
      return "unknown";
    }
  }

  private static Map<String, String> parse(String[] args) {
    Map<String, String> opts = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      if (!args[i].startsWith("--")) {
        throw new IllegalArgumentException("expected --name value pairs, found " + args[i]);
      }
      opts.put(args[i].substring(2), args[i + 1]);
    }
    return opts;
  }

  private static String required(Map<String, String> opts, String name) {
    String value = opts.get(name);
    if (value == null) {
      throw new IllegalArgumentException("--" + name + " is required (or give --url)");
    }
    return value;
  }

  private static void print(String format, Object... args) {
    System.out.println(String.format(Locale.ROOT, format, args));
  }
}
