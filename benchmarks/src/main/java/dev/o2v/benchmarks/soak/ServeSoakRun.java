package dev.o2v.benchmarks.soak;

import dev.o2v.inference.serve.InferenceServer;
import dev.o2v.inference.serve.Predictor;
import dev.o2v.inference.serve.ServeOptions;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Soaks an in-process server on loopback: {@code clients} loops send a seeded mix of valid,
 * invalid, slow and abandoned requests while a probe pings every 200 ms and a sampler records
 * heap and RSS; the result is a {@link SoakReport}.
 */
public final class ServeSoakRun {

  /** Bodies above this are refused; small, so oversized requests stay cheap. */
  public static final int MAX_BODY_BYTES = 64 * 1024;

  private static final long PING_EVERY_MILLIS = 200;
  private static final int SOCKET_TIMEOUT_MILLIS = 30_000;

  private final SoakConfig config;
  private final RawHttp http;
  private final SoakTraffic traffic;
  private final Map<Integer, LongAdder> byStatus = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> byKind = new ConcurrentHashMap<>();
  private final LongAdder abandoned = new LongAdder();
  private final LongAdder unexpected = new LongAdder();
  private final List<Double> pingMillis = Collections.synchronizedList(new ArrayList<>());
  private final AtomicLong pingFailures = new AtomicLong();
  private final List<SoakReport.MemorySample> memory =
      Collections.synchronizedList(new ArrayList<>());
  private long startNanos;
  private long deadlineNanos;

  private ServeSoakRun(SoakConfig config, int port, int vocab0, int vocab1) {
    this.config = config;
    this.http = new RawHttp(new InetSocketAddress("127.0.0.1", port), SOCKET_TIMEOUT_MILLIS);
    this.traffic = new SoakTraffic(vocab0, vocab1, MAX_BODY_BYTES);
  }

  /** Starts a server for {@code predictor} on a free loopback port, soaks it and stops it. */
  public static SoakReport run(Predictor predictor, SoakConfig config) throws Exception {
    ServeOptions options = ServeOptions.loopback()
        .withMaxBodyBytes(MAX_BODY_BYTES)
        .withQueueCapacity(Math.max(64, 4 * config.clients()));
    try (InferenceServer server = InferenceServer.start(predictor, options)) {
      return new ServeSoakRun(config, server.port(), predictor.vocabSize(0),
          predictor.vocabSize(1)).soak();
    }
  }

  private SoakReport soak() throws Exception {
    startNanos = System.nanoTime();
    deadlineNanos = startNanos + config.duration().toNanos();
    ExecutorService threads = Executors.newFixedThreadPool(config.clients() + 2, r -> {
      Thread t = new Thread(r, "soak-client");
      t.setDaemon(true);
      return t;
    });
    try {
      SplittableRandom root = new SplittableRandom(config.seed());
      List<Future<?>> running = new ArrayList<>();
      for (int c = 0; c < config.clients(); c++) {
        SplittableRandom random = root.split();
        running.add(threads.submit(() -> clientLoop(random)));
      }
      running.add(threads.submit(this::pingLoop));
      running.add(threads.submit(this::sampleLoop));
      for (Future<?> future : running) {
        future.get();
      }
    } finally {
      threads.shutdownNow();
      threads.awaitTermination(10, TimeUnit.SECONDS);
    }
    return report((System.nanoTime() - startNanos) / 1e9);
  }

  private Void clientLoop(SplittableRandom random) throws InterruptedException {
    for (int i = 0; i < config.maxRequestsPerClient() && System.nanoTime() < deadlineNanos; i++) {
      SoakTraffic.Kind kind = SoakTraffic.pick(random);
      byte[] request = traffic.request(kind, random);
      if (kind == SoakTraffic.Kind.DISCONNECT) {
        http.abandon(request, request.length - 1 - random.nextInt(request.length / 2));
        abandoned.increment();
        continue;
      }
      int status = kind == SoakTraffic.Kind.SLOW
          ? http.exchange(request, 1 + random.nextInt(8), 1 + random.nextInt(10))
          : http.exchange(request, request.length, 0);
      count(kind, status);
    }
    return null;
  }

  private void count(SoakTraffic.Kind kind, int status) {
    byStatus.computeIfAbsent(status, s -> new LongAdder()).increment();
    byKind.computeIfAbsent(kind + " " + status, s -> new LongAdder()).increment();
    boolean right = kind.valid() ? status == 200 : status >= 400 && status < 500;
    if (!right) {
      unexpected.increment();
    }
  }

  private Void pingLoop() throws InterruptedException {
    byte[] ping = SoakTraffic.ping();
    while (System.nanoTime() < deadlineNanos) {
      long start = System.nanoTime();
      int status = http.exchange(ping, ping.length, 0);
      if (status == 200) {
        pingMillis.add((System.nanoTime() - start) / 1e6);
      } else {
        pingFailures.incrementAndGet();
      }
      long spent = (System.nanoTime() - start) / 1_000_000;
      Thread.sleep(Math.max(0, PING_EVERY_MILLIS - spent));
    }
    return null;
  }

  private Void sampleLoop() throws InterruptedException {
    long every = config.sampleEvery().toMillis();
    while (true) {
      memory.add(sample());
      long left = (deadlineNanos - System.nanoTime()) / 1_000_000;
      if (left <= 0) {
        return null;
      }
      Thread.sleep(Math.min(every, left));
    }
  }

  private SoakReport.MemorySample sample() {
    System.gc();
    long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    return new SoakReport.MemorySample(
        (System.nanoTime() - startNanos) / 1e9, heap, residentSetBytes());
  }

  /** {@code VmRSS} of this process, or -1 where {@code /proc} is not available. */
  static long residentSetBytes() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | NumberFormatException e) {
      // Not Linux, or an unexpected format: RSS is simply not reported.
    }
    return -1;
  }

  private SoakReport report(double seconds) {
    Map<Integer, Long> statuses = new TreeMap<>();
    byStatus.forEach((k, v) -> statuses.put(k, v.sum()));
    Map<String, Long> kinds = new TreeMap<>();
    byKind.forEach((k, v) -> kinds.put(k, v.sum()));
    double[] pings;
    synchronized (pingMillis) {
      pings = pingMillis.stream().mapToDouble(Double::doubleValue).toArray();
    }
    List<SoakReport.MemorySample> samples;
    synchronized (memory) {
      samples = List.copyOf(memory);
    }
    return new SoakReport(seconds, statuses, kinds, abandoned.sum(), unexpected.sum(), pings,
        pingFailures.get(), samples);
  }
}
