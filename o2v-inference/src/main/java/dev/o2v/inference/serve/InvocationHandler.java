package dev.o2v.inference.serve;

import dev.o2v.inference.InferenceFormat;
import dev.o2v.inference.InferenceRequestDecoder;
import dev.o2v.inference.InferenceRequestException;
import dev.o2v.inference.InferenceResult;
import dev.o2v.inference.InvalidRecordException;
import dev.o2v.inference.ResultWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes {@code /ping} and {@code /invocations}: checks headers, reads and decodes the body on
 * Jetty's threads, queues the instances for the model and writes the answer when they are done.
 *
 * <p>Every failure becomes a one-line JSON answer; nothing thrown here reaches Jetty.
 */
final class InvocationHandler extends Handler.Abstract {

  private static final Logger LOG = LoggerFactory.getLogger(InvocationHandler.class);
  private static final byte[] PING_BODY = "{\"status\":\"ok\"}\n".getBytes(StandardCharsets.UTF_8);
  private static final String RETRY_AFTER_SECONDS = "1";

  private final InferenceRequestDecoder decoder;
  private final DynamicBatcher batcher;
  private final int maxBodyBytes;
  private final AtomicLong requestIds = new AtomicLong();
  /** Requests not answered yet, so that a shutdown can answer them rather than drop them. */
  private final Set<Exchange> open = ConcurrentHashMap.newKeySet();

  InvocationHandler(Predictor predictor, DynamicBatcher batcher, int maxBodyBytes) {
    this.decoder = new InferenceRequestDecoder(predictor.vocabSize(0), predictor.vocabSize(1));
    this.batcher = batcher;
    this.maxBodyBytes = maxBodyBytes;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    Exchange[] self = new Exchange[1];
    Exchange exchange = new Exchange(request, response, callback, requestIds.incrementAndGet(),
        () -> open.remove(self[0]));
    self[0] = exchange;
    open.add(exchange);
    try {
      route(exchange);
    } catch (Throwable t) {
      internalError(exchange, t);
    }
    return true;
  }

  /**
   * Answers every request still open with 503 and {@code Retry-After}, for a shutdown whose
   * drain time is over: the client learns to retry elsewhere instead of seeing its connection
   * drop. Their model work may still finish; its answer is then dropped.
   *
   * @return how many requests were cut off
   */
  int cutOff() {
    int count = 0;
    for (Exchange exchange : List.copyOf(open)) {
      if (!exchange.answered()) {
        exchange.error(503, "the server is shutting down: retry later", HttpHeader.RETRY_AFTER,
            RETRY_AFTER_SECONDS);
        count++;
      }
    }
    return count;
  }

  private void route(Exchange exchange) {
    Request request = exchange.request();
    String path = request.getHttpURI().getPath();
    String method = request.getMethod();
    if ("/ping".equals(path)) {
      if (HttpMethod.GET.is(method) || HttpMethod.HEAD.is(method)) {
        exchange.answer(200, Exchange.JSON, PING_BODY);
      } else {
        notAllowed(exchange, method, path, "GET, HEAD");
      }
    } else if ("/invocations".equals(path)) {
      if (HttpMethod.POST.is(method)) {
        invoke(exchange);
      } else {
        notAllowed(exchange, method, path, "POST");
      }
    } else {
      exchange.error(404, "no such path " + shown(path) + ": use GET /ping or POST /invocations");
    }
  }

  private static void notAllowed(Exchange exchange, String method, String path, String allowed) {
    exchange.error(405, shown(method) + " is not allowed on " + path + ": use " + allowed,
        HttpHeader.ALLOW, allowed);
  }

  private void invoke(Exchange exchange) {
    Request request = exchange.request();
    RequestContentType type = null;
    InferenceFormat answerFormat = null;
    // A header problem is answered only after the body has been read: answering first and
    // closing with unread bytes can reset the connection before the client sees the answer.
    int headerStatus = 0;
    String headerError = null;
    try {
      type = RequestContentType.parse(request.getHeaders().get(HttpHeader.CONTENT_TYPE));
      // Without a declared format the body decides later; an unsatisfiable Accept fails anyway.
      answerFormat = AcceptNegotiation.choose(request.getHeaders().get(HttpHeader.ACCEPT),
          type.format().orElse(InferenceFormat.JSON));
    } catch (UnsupportedMediaTypeException e) {
      headerStatus = type == null ? 415 : 406;
      headerError = e.getMessage();
    } catch (InferenceRequestException e) {
      headerStatus = 400;
      headerError = e.getMessage();
    }
    String transferCoding = unsupportedTransferCoding(request);
    if (transferCoding != null) {
      // The body cannot be framed without the coding: answer now and close the connection.
      exchange.error(501, "Transfer-Encoding " + shown(transferCoding) + " is not supported:"
          + " send the body as is or chunked", HttpHeader.CONNECTION, "close");
      return;
    }
    String contentCoding = request.getHeaders().get(HttpHeader.CONTENT_ENCODING);
    if (headerError == null && contentCoding != null
        && !contentCoding.strip().equalsIgnoreCase("identity")) {
      headerStatus = 415;
      headerError = "Content-Encoding " + shown(contentCoding) + " is not supported: send the"
          + " body uncompressed";
    }
    if (request.getLength() > maxBodyBytes) {
      tooLarge(exchange);
      return;
    }
    RequestContentType parsedType = type;
    InferenceFormat parsedAnswer = answerFormat;
    int status = headerStatus;
    String error = headerError;
    BodyReader.read(request, maxBodyBytes, new BodyReader.Listener() {
      @Override
      public void onBody(byte[] body) {
        if (error != null) {
          exchange.error(status, error);
        } else {
          submit(exchange, parsedType, parsedAnswer, body);
        }
      }

      @Override
      public void onTooLarge(long limit) {
        tooLarge(exchange);
      }

      @Override
      public void onFailure(Throwable failure) {
        LOG.debug("request {}: reading the body failed: {}", exchange.id(), failure.toString());
        exchange.error(400, "the body could not be read: " + failure.getMessage());
      }
    });
  }

  /** The first transfer coding of the request other than chunked, or null. */
  private static String unsupportedTransferCoding(Request request) {
    for (String value : request.getHeaders().getValuesList(HttpHeader.TRANSFER_ENCODING)) {
      for (String coding : value.split(",")) {
        String name = coding.strip();
        if (!name.isEmpty() && !name.equalsIgnoreCase("chunked")) {
          return name;
        }
      }
    }
    return null;
  }

  private void tooLarge(Exchange exchange) {
    exchange.error(413, String.format(Locale.ROOT,
        "the body is larger than the limit of %d bytes (--max-body-bytes)", maxBodyBytes),
        HttpHeader.CONNECTION, "close");
  }

  private void submit(
      Exchange exchange, RequestContentType type, InferenceFormat declaredAnswer, byte[] body) {
    try {
      InferenceRequestDecoder.Decoded decoded = decoder.decode(body, type.format());
      InferenceFormat answerFormat = type.format().isPresent()
          ? declaredAnswer
          : AcceptNegotiation.choose(exchange.request().getHeaders().get(HttpHeader.ACCEPT),
              decoded.format());
      InferenceJob job = InferenceJob.of(decoded.instances(), type.maxSeqLens());
      if (!batcher.offer(job)) {
        exchange.error(503, "the server is busy: retry later", HttpHeader.RETRY_AFTER,
            RETRY_AFTER_SECONDS);
        return;
      }
      job.result().whenComplete((predictions, failure) ->
          finish(exchange, decoded.format(), answerFormat, predictions, failure));
    } catch (InferenceRequestException e) {
      exchange.error(400, e.getMessage());
    } catch (Throwable t) {
      internalError(exchange, t);
    }
  }

  private void finish(
      Exchange exchange,
      InferenceFormat requestFormat,
      InferenceFormat answerFormat,
      List<InferenceResult> predictions,
      Throwable failure) {
    try {
      if (exchange.answered()) {
        LOG.debug("request {}: finished after it was answered (cut off at shutdown)",
            exchange.id());
        return;
      }
      if (failure == null) {
        exchange.answer(200, answerFormat.mediaType(),
            ResultWriter.body(predictions, answerFormat));
        return;
      }
      Throwable cause = failure instanceof CompletionException && failure.getCause() != null
          ? failure.getCause()
          : failure;
      if (cause instanceof DynamicBatcher.ShutDownException) {
        exchange.error(503, "the server is shutting down: retry later", HttpHeader.RETRY_AFTER,
            RETRY_AFTER_SECONDS);
      } else if (cause instanceof InvalidRecordException invalid) {
        String where = requestFormat == InferenceFormat.JSON
            ? "instances[" + invalid.index() + "]"
            : "instance " + invalid.index();
        exchange.error(400, where + ": " + invalid.reason());
      } else {
        internalError(exchange, cause);
      }
    } catch (Throwable t) {
      internalError(exchange, t);
    }
  }

  private static void internalError(Exchange exchange, Throwable t) {
    // One line in the log; the stack trace only at debug level, which --verbose turns on.
    LOG.error("request {} failed: {}", exchange.id(), t.toString());
    LOG.debug("request {} failed", exchange.id(), t);
    exchange.error(500, "internal error (request " + exchange.id() + "); see the server log");
  }

  private static String shown(String text) {
    String clean = text == null ? "" : text.replaceAll("\\p{Cntrl}", "?");
    return clean.length() <= 60 ? clean : clean.substring(0, 60) + "...";
  }
}
