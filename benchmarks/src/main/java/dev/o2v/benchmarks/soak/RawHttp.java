package dev.o2v.benchmarks.soak;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A minimal HTTP/1.1 client over a plain socket, one request per connection, so that a request
 * can be sent slowly or abandoned half-way, which a real HTTP client library will not do.
 */
final class RawHttp {

  /** The status reported when no response arrived. */
  static final int NO_ANSWER = -1;

  private static final int MAX_RESPONSE_BYTES = 1 << 20;

  private final InetSocketAddress address;
  private final int timeoutMillis;

  RawHttp(InetSocketAddress address, int timeoutMillis) {
    this.address = address;
    this.timeoutMillis = timeoutMillis;
  }

  /** The request head, ending in the blank line; {@code contentType} may be null. */
  static byte[] head(String method, String path, String contentType, long contentLength) {
    StringBuilder head = new StringBuilder()
        .append(method).append(' ').append(path).append(" HTTP/1.1\r\n")
        .append("Host: 127.0.0.1\r\nConnection: close\r\n");
    if (contentType != null) {
      head.append("Content-Type: ").append(contentType).append("\r\n");
    }
    if (contentLength >= 0) {
      head.append("Content-Length: ").append(contentLength).append("\r\n");
    }
    return head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII);
  }

  /**
   * Sends {@code request} in pieces of {@code pieceBytes} with {@code pauseMillis} between them,
   * then reads the whole response.
   *
   * @return the response status, or {@link #NO_ANSWER}
   */
  int exchange(byte[] request, int pieceBytes, long pauseMillis) throws InterruptedException {
    try (Socket socket = connect()) {
      OutputStream out = socket.getOutputStream();
      try {
        for (int at = 0; at < request.length; at += pieceBytes) {
          out.write(request, at, Math.min(pieceBytes, request.length - at));
          out.flush();
          if (pauseMillis > 0 && at + pieceBytes < request.length) {
            Thread.sleep(pauseMillis);
          }
        }
      } catch (IOException e) {
        // The server may answer (e.g. 413) and stop reading before the request is all sent.
      }
      return readStatus(socket.getInputStream());
    } catch (IOException e) {
      return NO_ANSWER;
    }
  }

  /** Sends the first {@code sentBytes} of {@code request} and closes without reading. */
  void abandon(byte[] request, int sentBytes) {
    try (Socket socket = connect()) {
      socket.getOutputStream().write(request, 0, Math.min(sentBytes, request.length));
      socket.getOutputStream().flush();
    } catch (IOException e) {
      // Abandoning is the point; a refused write changes nothing.
    }
  }

  private Socket connect() throws IOException {
    Socket socket = new Socket();
    try {
      socket.setTcpNoDelay(true);
      socket.setSoTimeout(timeoutMillis);
      socket.connect(address, timeoutMillis);
      return socket;
    } catch (IOException e) {
      socket.close();
      throw e;
    }
  }

  /** Reads to the end of the stream (the server closes) and parses the status line. */
  private static int readStatus(InputStream in) throws IOException {
    byte[] buffer = new byte[8192];
    byte[] start = new byte[0];
    long total = 0;
    for (int n; (n = in.read(buffer)) > 0 && total < MAX_RESPONSE_BYTES; total += n) {
      if (start.length < 16) {
        int keep = Math.min(16 - start.length, n);
        start = Arrays.copyOf(start, start.length + keep);
        System.arraycopy(buffer, 0, start, start.length - keep, keep);
      }
    }
    String line = new String(start, StandardCharsets.US_ASCII);
    if (!line.startsWith("HTTP/1.") || line.length() < 12) {
      return NO_ANSWER;
    }
    try {
      return Integer.parseInt(line.substring(9, 12));
    } catch (NumberFormatException e) {
      return NO_ANSWER;
    }
  }
}
