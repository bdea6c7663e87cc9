package dev.o2v.inference.serve;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * One request in flight and the means to answer it exactly once, from whichever thread finishes
 * the work.
 */
final class Exchange {

  static final String JSON = "application/json";

  private final Request request;
  private final Response response;
  private final Callback callback;
  private final long id;
  private final AtomicBoolean answered = new AtomicBoolean();
  private final Runnable onAnswer;

  /**
   * @param onAnswer runs once, when the answer is started
   */
  Exchange(Request request, Response response, Callback callback, long id, Runnable onAnswer) {
    this.request = request;
    this.response = response;
    this.callback = callback;
    this.id = id;
    this.onAnswer = onAnswer;
  }

  Request request() {
    return request;
  }

  /** The server-wide request number used in logs and in 500 answers. */
  long id() {
    return id;
  }

  /** True once an answer was started. */
  boolean answered() {
    return answered.get();
  }

  /** Sends {@code body} with {@code status}; later calls are ignored. */
  void answer(int status, String contentType, byte[] body) {
    answer(status, contentType, body, null, null);
  }

  /** Sends a one-line JSON error; later calls are ignored. */
  void error(int status, String reason) {
    answer(status, JSON, ErrorBody.of(reason));
  }

  /** Sends a one-line JSON error with one extra header; later calls are ignored. */
  void error(int status, String reason, HttpHeader header, String value) {
    answer(status, JSON, ErrorBody.of(reason), header, value);
  }

  private void answer(
      int status, String contentType, byte[] body, HttpHeader header, String value) {
    if (!answered.compareAndSet(false, true)) {
      return;
    }
    onAnswer.run();
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
    if (header != null) {
      response.getHeaders().put(header, value);
    }
    response.write(true, ByteBuffer.wrap(body), callback);
  }
}
