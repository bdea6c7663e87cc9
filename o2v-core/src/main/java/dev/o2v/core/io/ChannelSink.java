package dev.o2v.core.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;

/** A buffered output stream over a channel that can also hand buffers to the channel directly. */
final class ChannelSink extends OutputStream {

  private final WritableByteChannel channel;
  private final ByteBuffer buffer;

  ChannelSink(WritableByteChannel channel, int bufferBytes) {
    if (bufferBytes < 1) {
      throw new IllegalArgumentException("buffer size must be >= 1, found " + bufferBytes);
    }
    this.channel = channel;
    this.buffer = ByteBuffer.allocateDirect(bufferBytes);
  }

  @Override
  public void write(int b) throws IOException {
    if (!buffer.hasRemaining()) {
      drain();
    }
    buffer.put((byte) b);
  }

  @Override
  public void write(byte[] bytes, int offset, int length) throws IOException {
    // Heap arrays always pass through the direct buffer: handed to the channel as they are, the
    // JDK would copy them into a temporary direct buffer as large as the whole array.
    int done = 0;
    while (done < length) {
      if (!buffer.hasRemaining()) {
        drain();
      }
      int n = Math.min(buffer.remaining(), length - done);
      buffer.put(bytes, offset + done, n);
      done += n;
    }
  }

  /** Writes the remaining bytes of {@code bytes} after everything buffered before. */
  void writeThrough(ByteBuffer bytes) throws IOException {
    if (!bytes.isDirect()) {
      while (bytes.hasRemaining()) {
        if (!buffer.hasRemaining()) {
          drain();
        }
        int n = Math.min(buffer.remaining(), bytes.remaining());
        ByteBuffer part = bytes.slice();
        part.limit(n);
        buffer.put(part);
        bytes.position(bytes.position() + n);
      }
      return;
    }
    drain();
    writeFully(bytes);
  }

  @Override
  public void flush() throws IOException {
    drain();
  }

  @Override
  public void close() throws IOException {
    try {
      flush();
    } finally {
      channel.close();
    }
  }

  private void drain() throws IOException {
    buffer.flip();
    writeFully(buffer);
    buffer.clear();
  }

  private void writeFully(ByteBuffer bytes) throws IOException {
    while (bytes.hasRemaining()) {
      channel.write(bytes);
    }
  }
}
