package dev.o2v.cli.serve;

import java.net.URI;
import java.time.Duration;
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
 * connections get 503, requests in flight finish (up to the drain timeout), then the workers stop.
 */
public final class InferenceServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(InferenceServer.class);
  private static final int MAX_HTTP_THREADS = 64;
  private static final int MIN_HTTP_THREADS = 4;
  private static final long SHUTDOWN_IDLE_MILLIS = 200;

  private final Server server;
  private final ServerConnector connector;
  private final DynamicBatcher batcher;
  private final ServeOptions options;

  private InferenceServer(
      Server server, ServerConnector connector, DynamicBatcher batcher, ServeOptions options) {
    this.server = server;
    this.connector = connector;
    this.batcher = batcher;
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
    GracefulHandler graceful =
        new GracefulHandler(new InvocationHandler(predictor, batcher, options.maxBodyBytes()));
    // Idle keep-alive connections need not hold up a shutdown for Jetty's default second.
    graceful.setShutdownIdleTimeout(SHUTDOWN_IDLE_MILLIS);
    server.setHandler(graceful);
    server.setErrorHandler(new JsonErrorHandler());
    server.setStopTimeout(options.drainTimeout().toMillis());
    server.setStopAtShutdown(false);
    try {
      server.start();
    } catch (Exception e) {
      server.stop();
      batcher.close(Duration.ZERO);
      throw e;
    }
    return new InferenceServer(server, connector, batcher, options);
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
    try {
      server.stop();
    } catch (Exception e) {
      // Jetty reports a drain that outlived the stop timeout as a failure to stop.
      LOG.warn("requests still in flight after {} s were cut off ({})",
          options.drainTimeout().toSeconds(), e.toString());
    }
    return batcher.close(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
  }

  @Override
  public void close() {
    shutDown();
  }
}
