package dev.o2v.inference.serve;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running inference HTTP server: Jetty in front of a {@link DynamicBatcher}.
 *
 * <p>{@link #close} shuts down gracefully: the connector stops accepting, new requests on open
 * connections get 503, requests in flight finish (up to the drain timeout; those still open then
 * are answered with 503 and {@code Retry-After} rather than dropped), then the workers stop.
 */
public final class InferenceServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(InferenceServer.class);
  private static final int MAX_HTTP_THREADS = 64;
  private static final int MIN_HTTP_THREADS = 4;
  private static final long SHUTDOWN_IDLE_MILLIS = 200;
  private static final long CUT_OFF_GRACE_MILLIS = 1000;

  private final Server server;
  private final ServerConnector connector;
  private final DynamicBatcher batcher;
  private final InvocationHandler handler;
  private final ServeOptions options;

  private InferenceServer(Server server, ServerConnector connector, DynamicBatcher batcher,
      InvocationHandler handler, ServeOptions options) {
    this.server = server;
    this.connector = connector;
    this.batcher = batcher;
    this.handler = handler;
    this.options = options;
  }

  /**
   * Binds and starts serving {@code predictor}.
   *
   * @throws java.io.IOException when the address cannot be bound
   */
  public static InferenceServer start(Predictor predictor, ServeOptions options)
      throws Exception {
    DynamicBatcher batcher = new DynamicBatcher(predictor, options.workers(),
        options.queueCapacity(), options.maxBatchInstances(), options.batchWait());
    QueuedThreadPool threads = new QueuedThreadPool(MAX_HTTP_THREADS, MIN_HTTP_THREADS);
    threads.setName("o2v-http");
    Server server = new Server(threads);
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    http.setSendXPoweredBy(false);
    ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
    connector.setHost(options.host());
    connector.setPort(options.port());
    server.addConnector(connector);
    InvocationHandler handler =
        new InvocationHandler(predictor, batcher, options.maxBodyBytes());
    GracefulHandler graceful = new GracefulHandler(handler);
    // Idle keep-alive connections need not hold up a shutdown for Jetty's default second.
    graceful.setShutdownIdleTimeout(SHUTDOWN_IDLE_MILLIS);
    server.setHandler(graceful);
    server.setErrorHandler(new JsonErrorHandler());
    // Past the drain time the open requests are answered with 503 (see shutDown); the grace
    // lets those answers go out before Jetty closes the connections.
    server.setStopTimeout(options.drainTimeout().toMillis() + CUT_OFF_GRACE_MILLIS);
    server.setStopAtShutdown(false);
    try {
      server.start();
    } catch (Exception e) {
      server.stop();
      batcher.close(Duration.ZERO);
      throw e;
    }
    return new InferenceServer(server, connector, batcher, handler, options);
  }

  /** The bound port (the chosen one when the options asked for port 0). */
  public int port() {
    return connector.getLocalPort();
  }

  /** {@code http://host:port}, without a trailing slash. */
  public URI uri() {
    return URI.create("http://" + hostForUri() + ":" + port());
  }

  private String hostForUri() {
    String host = options.host();
    return host.contains(":") ? "[" + host + "]" : host;
  }

  /** The batcher, for its counters. */
  public DynamicBatcher batcher() {
    return batcher;
  }

  /** Blocks until the server has stopped. */
  public void join() throws InterruptedException {
    server.join();
  }

  /**
   * Drains requests in flight, then stops Jetty and the workers.
   *
   * @return true when every worker ended, so the model is no longer in use
   */
  public boolean shutDown() {
    long deadline = System.nanoTime() + options.drainTimeout().toNanos();
    CountDownLatch stopped = new CountDownLatch(1);
    Thread cutter = new Thread(() -> cutOffAtTheDeadline(stopped), "o2v-drain-deadline");
    cutter.setDaemon(true);
    cutter.start();
    try {
      server.stop();
    } catch (Exception e) {
      // Jetty reports a drain that outlived the stop timeout as a failure to stop.
      LOG.warn("connections still open after the drain time were closed ({})", e.toString());
    } finally {
      stopped.countDown();
    }
    return batcher.close(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
  }

  private void cutOffAtTheDeadline(CountDownLatch stopped) {
    try {
      if (!stopped.await(options.drainTimeout().toNanos(), TimeUnit.NANOSECONDS)) {
        int cut = handler.cutOff();
        if (cut > 0) {
          LOG.warn("{} requests still in flight after the drain time ({} ms) were answered with"
              + " 503", cut, options.drainTimeout().toMillis());
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    shutDown();
  }
}
