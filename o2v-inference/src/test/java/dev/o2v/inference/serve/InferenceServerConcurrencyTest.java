package dev.o2v.inference.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.o2v.inference.InferenceInstance;
import dev.o2v.inference.InferenceResult;
import dev.o2v.inference.InvalidRecordException;
import dev.o2v.inference.TruncationLengths;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Many clients at once, a full queue, model failures and a draining shutdown. */
class InferenceServerConcurrencyTest {

  private static final String ONE = "{\"instances\": [{\"in0\": [1]}]}";

  private static void awaitQueued(InferenceServer server, int count) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (server.batcher().queued() < count) {
      assertTrue(System.nanoTime() < deadline, "queue never reached " + count);
      Thread.sleep(2);
    }
  }

  private static CompletableFuture<HttpResponse<String>> async(HttpTestClient http, String body) {
    return CompletableFuture.supplyAsync(() -> http.json(body));
  }

  @Test
  void concurrentClientsEachGetTheirOwnAnswers() throws Exception {
    try (InferenceServer server = InferenceServer.start(new FakePredictor(),
        ServeOptions.loopback().withWorkers(2))) {
      HttpTestClient http = new HttpTestClient(server.uri());
      ExecutorService clients = Executors.newFixedThreadPool(12);
      List<Future<String>> failures = new ArrayList<>();
      for (int c = 0; c < 12; c++) {
        int client = c;
        failures.add(clients.submit(() -> {
          for (int r = 0; r < 15; r++) {
            int a = client * 50 + r;
            HttpResponse<String> response = http.json(String.format(Locale.ROOT,
                "{\"instances\": [{\"in0\": [%d], \"in1\": [%d]}, {\"in0\": [%d, 5]}]}",
                a, r, a));
            String expected = String.format(Locale.ROOT,
                "{\"predictions\":[{\"scores\":[%d.0,%d.0]},{\"embeddings\":[0.0,2.0,%d.0]}]}",
                a, r, a);
            if (response.statusCode() != 200 || !response.body().equals(expected)) {
              return "client " + client + " request " + r + ": " + response.statusCode() + " "
                  + response.body() + " expected " + expected;
            }
          }
          return null;
        }));
      }
      for (Future<String> failure : failures) {
        assertEquals(null, failure.get(60, TimeUnit.SECONDS));
      }
      clients.shutdown();
      assertEquals(12 * 15 * 2, server.batcher().instanceCount(), "instances answered");
    }
  }

  @Test
  void fullQueueAnswers503WithRetryAfterAndPingStaysFast() throws Exception {
    FakePredictor predictor = new FakePredictor();
    predictor.hold();
    try (InferenceServer server = InferenceServer.start(predictor,
        ServeOptions.loopback().withQueueCapacity(1))) {
      HttpTestClient http = new HttpTestClient(server.uri());
      CompletableFuture<HttpResponse<String>> running = async(http, ONE);
      assertTrue(predictor.entered.await(10, TimeUnit.SECONDS), "the model never started");
      CompletableFuture<HttpResponse<String>> queued = async(http, ONE);
      awaitQueued(server, 1);
      HttpResponse<String> refused = http.json(ONE);
      assertEquals(503, refused.statusCode(), refused.body());
      assertEquals("1", refused.headers().firstValue("Retry-After").orElse(""));
      // The model is busy and the queue full, yet ping answers.
      assertEquals(200, http.send(http.request("/ping").GET().build()).statusCode());
      predictor.release();
      assertEquals(200, running.get(10, TimeUnit.SECONDS).statusCode());
      assertEquals(200, queued.get(10, TimeUnit.SECONDS).statusCode());
    }
  }

  @Test
  void aRejectedInstanceFailsOnlyItsOwnRequestInACoalescedBatch() throws Exception {
    FakePredictor predictor = new FakePredictor() {
      @Override
      public List<InferenceResult> predict(
          List<InferenceInstance> instances, Optional<TruncationLengths> lengths) {
        List<InferenceResult> out = super.predict(instances, lengths);
        for (int i = 0; i < instances.size(); i++) {
          if (instances.get(i).in0() != null && instances.get(i).in0()[0] == 666) {
            throw new InvalidRecordException(i, "in0[0] = 666 is refused by this model");
          }
        }
        return out;
      }
    };
    predictor.hold();
    try (InferenceServer server = InferenceServer.start(predictor, ServeOptions.loopback())) {
      HttpTestClient http = new HttpTestClient(server.uri());
      CompletableFuture<HttpResponse<String>> first = async(http, ONE);
      assertTrue(predictor.entered.await(10, TimeUnit.SECONDS), "the model never started");
      CompletableFuture<HttpResponse<String>> bad =
          async(http, "{\"instances\": [{\"in0\": [2]}, {\"in0\": [666]}]}");
      awaitQueued(server, 1);
      CompletableFuture<HttpResponse<String>> good = async(http, ONE);
      awaitQueued(server, 2);
      predictor.release();
      assertEquals(200, first.get(10, TimeUnit.SECONDS).statusCode());
      HttpResponse<String> rejected = bad.get(10, TimeUnit.SECONDS);
      assertEquals(400, rejected.statusCode(), rejected.body());
      assertTrue(rejected.body().contains("instances[1]: in0[0] = 666 is refused"),
          rejected.body());
      assertEquals(200, good.get(10, TimeUnit.SECONDS).statusCode());
    }
  }

  @Test
  void modelFailureIsA500NamingTheRequestWithoutAStackTrace() throws Exception {
    Predictor broken = new FakePredictor() {
      @Override
      public List<InferenceResult> predict(
          List<InferenceInstance> instances, Optional<TruncationLengths> lengths) {
        throw new IllegalStateException("native memory exhausted");
      }
    };
    try (InferenceServer server = InferenceServer.start(broken, ServeOptions.loopback())) {
      HttpResponse<String> response = HttpClient.newHttpClient().send(
          new HttpTestClient(server.uri()).request("/invocations")
              .header("Content-Type", "application/json")
              .POST(java.net.http.HttpRequest.BodyPublishers.ofString(ONE)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(500, response.statusCode(), response.body());
      assertTrue(response.body().matches(
          "\\{\"error\":\"internal error \\(request \\d+\\); see the server log\"}\n"),
          response.body());
    }
  }

  @Test
  void shutdownDrainsTheRequestInFlightThenRefusesConnections() throws Exception {
    FakePredictor predictor = new FakePredictor();
    predictor.hold();
    InferenceServer server = InferenceServer.start(predictor, ServeOptions.loopback());
    HttpTestClient http = new HttpTestClient(server.uri());
    CompletableFuture<HttpResponse<String>> inFlight = async(http, ONE);
    assertTrue(predictor.entered.await(10, TimeUnit.SECONDS), "the model never started");
    CompletableFuture<Void> closing = CompletableFuture.runAsync(server::close);
    Thread.sleep(100);
    assertTrue(!closing.isDone(), "close returned while a request was in flight");
    predictor.release();
    HttpResponse<String> answer = inFlight.get(10, TimeUnit.SECONDS);
    assertEquals(200, answer.statusCode(), answer.body());
    assertEquals("{\"predictions\":[{\"embeddings\":[0.0,1.0,1.0]}]}", answer.body());
    closing.get(10, TimeUnit.SECONDS);
    HttpClient fresh = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    IOException refused = assertThrows(IOException.class, () -> fresh.send(
        http.request("/ping").GET().build(), HttpResponse.BodyHandlers.ofString()));
    assertTrue(refused instanceof ConnectException || refused.getCause() != null,
        "expected a refused connection, got " + refused);
  }

  @Test
  void requestsStillOpenAtTheDrainDeadlineGet503WithRetryAfterAndNoStackTrace()
      throws Exception {
    ListAppender<ILoggingEvent> log = new ListAppender<>();
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    log.start();
    root.addAppender(log);
    FakePredictor predictor = new FakePredictor();
    predictor.hold();
    try {
      InferenceServer server = InferenceServer.start(predictor,
          ServeOptions.loopback().withQueueCapacity(4).withDrainTimeout(Duration.ofMillis(300)));
      HttpTestClient http = new HttpTestClient(server.uri());
      CompletableFuture<HttpResponse<String>> running = async(http, ONE);
      assertTrue(predictor.entered.await(10, TimeUnit.SECONDS), "the model never started");
      CompletableFuture<HttpResponse<String>> queued = async(http, ONE);
      awaitQueued(server, 1);
      CompletableFuture.runAsync(server::close);
      for (CompletableFuture<HttpResponse<String>> request : List.of(running, queued)) {
        HttpResponse<String> answer = request.get(20, TimeUnit.SECONDS);
        assertEquals(503, answer.statusCode(), answer.body());
        assertEquals("1", answer.headers().firstValue("Retry-After").orElse("(none)"));
        assertEquals("{\"error\":\"the server is shutting down: retry later\"}\n",
            answer.body());
      }
    } finally {
      predictor.release();
      root.detachAppender(log);
    }
    for (ILoggingEvent event : log.list) {
      assertTrue(event.getThrowableProxy() == null || !event.getLevel().isGreaterOrEqual(
          Level.INFO), "a stack trace was logged: " + event.getFormattedMessage());
    }
  }
}
