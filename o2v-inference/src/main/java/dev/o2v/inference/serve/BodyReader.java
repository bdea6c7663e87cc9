package dev.o2v.inference.serve;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;

/**
 * Reads a request body without blocking a thread, up to a size limit.
 *
 * <p>The body is read in the chunks Jetty delivers; a body that passes the limit is abandoned as
 * soon as it does, so an oversized upload is never held in memory.
 */
final class BodyReader {

  /** What became of the read. */
  interface Listener {
    /** The whole body. */
    void onBody(byte[] body);

    /** The body passed {@code limit} bytes. */
    void onTooLarge(long limit);

    /** The connection failed while reading. */
    void onFailure(Throwable failure);
  }

  private final Request request;
  private final int limit;
  private final Listener listener;
  private byte[] buffer;
  private int size;

  private BodyReader(Request request, int limit, Listener listener) {
    this.request = request;
    this.limit = limit;
    this.listener = listener;
    long declared = request.getLength();
    this.buffer = new byte[(int) Math.min(limit, declared > 0 ? declared : 8192)];
  }

  /** Starts reading; {@code listener} hears exactly once, possibly on another thread. */
  static void read(Request request, int limit, Listener listener) {
    new BodyReader(request, limit, listener).readAvailable();
  }

  private void readAvailable() {
    while (true) {
      Content.Chunk chunk = request.read();
      if (chunk == null) {
        request.demand(this::readAvailable);
        return;
      }
      if (Content.Chunk.isFailure(chunk)) {
        listener.onFailure(chunk.getFailure());
        return;
      }
      boolean fits = append(chunk.getByteBuffer());
      boolean last = chunk.isLast();
      chunk.release();
      if (!fits) {
        listener.onTooLarge(limit);
        return;
      }
      if (last) {
        listener.onBody(size == buffer.length ? buffer : Arrays.copyOf(buffer, size));
        return;
      }
    }
  }

  private boolean append(ByteBuffer bytes) {
    int n = bytes.remaining();
    if ((long) size + n > limit) {
      return false;
    }
    if (size + n > buffer.length) {
      buffer = Arrays.copyOf(buffer, (int) Math.min(limit, Math.max(size + n, 2L * buffer.length)));
    }
    bytes.get(buffer, size, n);
    size += n;
    return true;
  }
}
