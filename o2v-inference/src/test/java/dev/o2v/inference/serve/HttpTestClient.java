package dev.o2v.inference.serve;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Talks HTTP to a test server and checks the invariants every answer must keep. */
final class HttpTestClient {

  private final HttpClient client =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5)).build();
  private final URI base;

  HttpTestClient(URI base) {
    this.base = base;
  }

  /** POST /invocations with a content type and an optional Accept. */
  HttpResponse<String> invoke(String contentType, String accept, String body) {
    HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve("/invocations"))
        .timeout(Duration.ofSeconds(30))
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    if (accept != null) {
      request.header("Accept", accept);
    }
    return send(request.build());
  }

  /** POST /invocations as application/json, answer in the same type. */
  HttpResponse<String> json(String body) {
    return invoke("application/json", null, body);
  }

  /** Sends a request; fails the test on transport errors. */
  HttpResponse<String> send(HttpRequest request) {
    try {
      HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
      checkInvariants(response);
      return response;
    } catch (IOException e) {
      throw new AssertionError("transport error for " + request.uri() + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30));
  }

  /** No answer is a 5xx other than a deliberate 503, and every error body is one JSON line. */
  static void checkInvariants(HttpResponse<String> response) {
    int status = response.statusCode();
    assertTrue(status < 500 || status == 503, "server error " + status + ": " + response.body());
    if (status >= 400) {
      String body = response.body();
      assertTrue(body.startsWith("{\"error\":\"") && body.endsWith("\"}\n"), "body: " + body);
      assertFalse(body.substring(0, body.length() - 1).contains("\n"), "multi-line: " + body);
      assertFalse(body.contains("Exception") || body.contains("\tat "), "stack trace: " + body);
    }
  }
}
