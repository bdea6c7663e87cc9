package dev.o2v.inference.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The HTTP contract of {@code /ping} and {@code /invocations}, over a fake model. */
class InferenceServerProtocolTest {

  private static final int BODY_LIMIT = 4096;
  private static InferenceServer server;
  private static HttpTestClient http;

  @BeforeAll
  static void start() throws Exception {
    server = InferenceServer.start(new FakePredictor(),
        ServeOptions.loopback().withMaxBodyBytes(BODY_LIMIT));
    http = new HttpTestClient(server.uri());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static void assertStatus(int expected, HttpResponse<String> response) {
    assertEquals(expected, response.statusCode(), "body: " + response.body());
  }

  private static void assertError(int status, String fragment, HttpResponse<String> response) {
    assertStatus(status, response);
    assertTrue(response.body().contains(fragment),
        "expected '" + fragment + "' in " + response.body());
  }

  @Test
  void pingAnswersOkOnLoopbackWithAChosenPort() {
    assertTrue(server.port() > 0, "port " + server.port());
    assertEquals("127.0.0.1", server.uri().getHost());
    HttpResponse<String> ping = http.send(http.request("/ping").GET().build());
    assertStatus(200, ping);
  }

  @Test
  void jsonRequestGetsJsonPredictionsForPairsAndSingleSides() {
    HttpResponse<String> response = http.json("{\"instances\": [{\"in0\": [1, 2], \"in1\": [3],"
        + " \"label\": 1}, {\"in1\": [7, 8]}]}");
    assertStatus(200, response);
    assertEquals("application/json", response.headers().firstValue("Content-Type").orElse(""));
    assertEquals("{\"predictions\":[{\"scores\":[3.0,3.0]},{\"embeddings\":[1.0,2.0,7.0]}]}",
        response.body());
  }

  @Test
  void jsonLinesRequestGetsJsonLinesByDefaultAndWithWildcard() {
    String body = "{\"in0\": [5]}\n{\"in0\": [1], \"in1\": [2, 3]}\n";
    String expected = "{\"embeddings\":[0.0,1.0,5.0]}\n{\"scores\":[1.0,5.0]}\n";
    for (String accept : new String[] {null, "*/*"}) {
      HttpResponse<String> response = http.invoke("application/jsonlines", accept, body);
      assertStatus(200, response);
      assertEquals("application/jsonlines",
          response.headers().firstValue("Content-Type").orElse(""), "Accept " + accept);
      assertEquals(expected, response.body(), "Accept " + accept);
    }
  }

  @Test
  void acceptChoosesTheAnswerFormatAcrossRequestFormats() {
    HttpResponse<String> lines = http.invoke("application/json", "application/jsonlines",
        "{\"instances\": [{\"in0\": [4]}, {\"in1\": [6]}]}");
    assertStatus(200, lines);
    assertEquals("{\"embeddings\":[0.0,1.0,4.0]}\n{\"embeddings\":[1.0,1.0,6.0]}\n",
        lines.body());
    HttpResponse<String> json = http.invoke("application/jsonlines", "application/json",
        "{\"in0\": [4], \"in1\": [6]}");
    assertStatus(200, json);
    assertEquals("{\"predictions\":[{\"scores\":[4.0,6.0]}]}", json.body());
  }

  @Test
  void aBodyWithoutContentTypeOrAsOctetStreamIsReadAsJsonElseAsJsonLines() {
    String json = "{\"instances\": [{\"in0\": [1, 2], \"in1\": [3]}, {\"in1\": [7, 8]}]}";
    String expectedJson =
        "{\"predictions\":[{\"scores\":[3.0,3.0]},{\"embeddings\":[1.0,2.0,7.0]}]}";
    String lines = "{\"in0\": [5]}\n{\"in0\": [1], \"in1\": [2, 3]}\n";
    String expectedLines = "{\"embeddings\":[0.0,1.0,5.0]}\n{\"scores\":[1.0,5.0]}\n";
    for (String type : new String[] {null, "application/octet-stream"}) {
      HttpResponse<String> asJson = http.invoke(type, null, json);
      assertStatus(200, asJson);
      assertEquals("application/json",
          asJson.headers().firstValue("Content-Type").orElse(""), "Content-Type " + type);
      assertEquals(expectedJson, asJson.body(), "Content-Type " + type);

      HttpResponse<String> asLines = http.invoke(type, "*/*", lines);
      assertStatus(200, asLines);
      assertEquals("application/jsonlines",
          asLines.headers().firstValue("Content-Type").orElse(""), "Content-Type " + type);
      assertEquals(expectedLines, asLines.body(), "Content-Type " + type);

      HttpResponse<String> linesAnsweredAsJson = http.invoke(type, "application/json", lines);
      assertStatus(200, linesAnsweredAsJson);
      assertEquals("{\"predictions\":[{\"embeddings\":[0.0,1.0,5.0]},{\"scores\":[1.0,5.0]}]}",
          linesAnsweredAsJson.body(), "Content-Type " + type);

      assertError(400, "neither JSON (", http.invoke(type, null, "not json at all"));
      assertError(406, "Accept 'text/csv' names no supported type",
          http.invoke(type, "text/csv", json));
    }
    HttpResponse<String> truncated = http.invoke("application/octet-stream; infer_max_seqlens=1,1",
        null, "{\"instances\": [{\"in0\": [1, 2, 3]}]}");
    assertStatus(200, truncated);
    assertEquals("{\"predictions\":[{\"embeddings\":[0.0,1.0,1.0]}]}", truncated.body());
  }

  @Test
  void inferMaxSeqlensTruncatesBothSides() {
    HttpResponse<String> response = http.invoke("application/json; infer_max_seqlens=2,1", null,
        "{\"instances\": [{\"in0\": [1, 2, 3, 4]}, {\"in0\": [1, 2, 3], \"in1\": [10, 20]}]}");
    assertStatus(200, response);
    assertEquals("{\"predictions\":[{\"embeddings\":[0.0,2.0,1.0]},{\"scores\":[3.0,10.0]}]}",
        response.body());
  }

  @Test
  void malformedBodiesAreBadRequestsWithTheirReason() {
    String[][] cases = {
      {"{\"instances\": [{\"in0\": [1, 2", "malformed JSON at line 1"},
      {"[{\"in0\": [1]}]", "body must be a JSON object"},
      {"{\"instances\": []}", "instances is empty"},
      {"{\"instances\": [{\"in0\": \"1 2\"}]}", "instances[0].in0: must be an array"},
      {"{\"instances\": [{\"in0\": [1]}, {\"in1\": [1, 2, 50]}]}",
          "instances[1].in1[2]: id 50 is outside the vocabulary [0, 50)"},
      {"{\"instances\": [{\"label\": 0}]}", "instances[0]: has neither in0 nor in1"},
      {"", "body must be a JSON object"},
      {"{\"instances\": [{\"in0\": [1.5]}]}", "expected an integer id, found 1.5"},
    };
    for (String[] c : cases) {
      assertError(400, c[1], http.json(c[0]));
    }
    assertError(400, "line 2: malformed JSON",
        http.invoke("application/jsonlines", null, "{\"in0\": [1]}\n{\"in0\": \n"));
  }

  @Test
  void badInferMaxSeqlensIsABadRequest() {
    for (String value : new String[] {"0,5", "10,5001", "10", "x,y"}) {
      assertError(400, "infer_max_seqlens must be two integers in [1, 5000]",
          http.invoke("application/json; infer_max_seqlens=" + value, null,
              "{\"instances\": [{\"in0\": [1]}]}"));
    }
  }

  @Test
  void unsupportedContentTypeIs415AndUnsatisfiableAcceptIs406() {
    String body = "{\"instances\": [{\"in0\": [1]}]}";
    assertError(415, "Content-Type 'text/csv' is not supported", http.invoke("text/csv", null,
        body));
    assertError(406, "Accept 'text/csv' names no supported type",
        http.invoke("application/json", "text/csv", body));
  }

  @Test
  void bodyOverTheLimitIs413WithOrWithoutContentLength() {
    String big = "{\"instances\": [{\"in0\": [" + "1,".repeat(BODY_LIMIT) + "1]}]}";
    assertError(413, "larger than the limit of 4096 bytes", http.json(big));
    HttpRequest chunked = http.request("/invocations")
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofInputStream(
            () -> new ByteArrayInputStream(big.getBytes(StandardCharsets.UTF_8))))
        .build();
    assertError(413, "larger than the limit", http.send(chunked));
    // The connection problem of one client leaves the server serving others.
    assertStatus(200, http.json("{\"instances\": [{\"in0\": [1]}]}"));
  }

  @Test
  void unknownPathIs404AndWrongMethodIs405WithAllow() {
    assertError(404, "no such path /predict", http.send(http.request("/predict").GET().build()));
    HttpResponse<String> get = http.send(http.request("/invocations").GET().build());
    assertError(405, "GET is not allowed on /invocations", get);
    assertEquals("POST", get.headers().firstValue("Allow").orElse(""));
    HttpResponse<String> post = http.send(http.request("/ping")
        .POST(HttpRequest.BodyPublishers.noBody()).build());
    assertError(405, "POST is not allowed on /ping", post);
  }

  @Test
  void garbageHttpGetsAOneLineJsonError() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      OutputStream out = socket.getOutputStream();
      out.write("NOT HTTP AT ALL\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      BufferedReader in = new BufferedReader(
          new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      String status = in.readLine();
      assertTrue(status != null && status.startsWith("HTTP/1.1 4"), "status line: " + status);
      StringBuilder rest = new StringBuilder();
      for (String line; (line = in.readLine()) != null; ) {
        rest.append(line).append('\n');
      }
      assertTrue(rest.toString().contains("{\"error\":"), "answer: " + rest);
      assertTrue(!rest.toString().contains("<html"), "answer: " + rest);
    }
    assertStatus(200, http.send(http.request("/ping").GET().build()));
  }

  @Test
  void aCompressedBodyIs415InsteadOfBeingMisread() {
    HttpResponse<String> gzip = http.send(http.request("/invocations")
        .header("Content-Type", "application/json").header("Content-Encoding", "gzip")
        .POST(HttpRequest.BodyPublishers.ofString("{\"instances\": [{\"in0\": [1]}]}"))
        .build());
    assertError(415, "Content-Encoding gzip is not supported", gzip);
    HttpResponse<String> identity = http.send(http.request("/invocations")
        .header("Content-Type", "application/json").header("Content-Encoding", "identity")
        .POST(HttpRequest.BodyPublishers.ofString("{\"instances\": [{\"in0\": [1]}]}"))
        .build());
    assertStatus(200, identity);
  }

  @Test
  void aTransferCodingOtherThanChunkedIs501() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      OutputStream out = socket.getOutputStream();
      out.write(("POST /invocations HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
          + "Transfer-Encoding: gzip, chunked\r\n\r\n1f\r\n{\"instances\": [{\"in0\": [1]}]}\r\n"
          + "0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      BufferedReader in = new BufferedReader(
          new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      String status = in.readLine();
      assertTrue(status != null && status.startsWith("HTTP/1.1 501"), "status line: " + status);
      StringBuilder rest = new StringBuilder();
      for (String line; (line = in.readLine()) != null; ) {
        rest.append(line).append('\n');
      }
      assertTrue(rest.toString().contains("{\"error\":"), "answer: " + rest);
    }
    assertStatus(200, http.send(http.request("/ping").GET().build()));
  }
}
