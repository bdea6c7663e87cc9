package dev.o2v.core.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.util.zip.CRC32C;

/**
 * A buffered output stream over a channel that can also hand buffers to the channel directly,
 * and, for a new file, write the aligned middle of large buffers past the page cache.
 */
final class ChannelSink extends OutputStream {

  private final WritableByteChannel channel;
  private final DirectBuffer memory; // freed by close
  private final ByteBuffer buffer; // memory's bytes
  private final FileChannel file; // the file under channel, for seeking past direct writes
  private final DirectWrites direct; // null: every byte goes through channel
  private long position; // bytes taken so far, buffered ones included
  private final CRC32C written = new CRC32C(); // of the bytes handed on, in file order

  ChannelSink(WritableByteChannel channel, int bufferBytes) {
    this(channel, bufferBytes, null, null);
  }

  /**
   * A sink writing a file from its start: {@code channel} (which writes through {@code file} at
   * its position, 0 at first) takes the buffered bytes, {@code direct} (null when unavailable)
   * the aligned middles of {@link #writeAligned} payloads.
   */
  ChannelSink(
      WritableByteChannel channel, int bufferBytes, FileChannel file, DirectWrites direct) {
    if (bufferBytes < 1) {
      throw new IllegalArgumentException("buffer size must be >= 1, found " + bufferBytes);
    }
    this.channel = channel;
    this.memory = DirectBuffer.allocate(bufferBytes);
    this.buffer = memory.bytes();
    this.file = file;
    this.direct = direct;
  }

  @Override
  public void write(int b) throws IOException {
    if (!buffer.hasRemaining()) {
      drain();
    }
    buffer.put((byte) b);
    position++;
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
    position += length;
  }

  /** Bytes written so far: the position in the stream of the next byte. */
  long position() {
    return position;
  }

  /** The CRC-32C of every byte written so far, once {@link #flush} has handed them all on. */
  long crc32c() {
    return written.getValue();
  }

  /** Writes {@code count} zero bytes. */
  void writeZeros(int count) throws IOException {
    for (int i = 0; i < count; i++) {
      write(0);
    }
  }

  /** Writes the remaining bytes of {@code bytes} after everything buffered before. */
  void writeThrough(ByteBuffer bytes) throws IOException {
    int length = bytes.remaining();
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
    } else {
      drain();
      writeFully(bytes);
    }
    position += length;
  }

  /**
   * Writes {@code bytes} like {@link #writeThrough}, at a position the caller has aligned to the
   * file system's block size: with direct writes available, its whole blocks bypass the page
   * cache and only the last partial block is written through it.
   */
  void writeAligned(ByteBuffer bytes) throws IOException {
    if (direct == null
        || bytes.remaining() < direct.alignment()
        || position % direct.alignment() != 0) {
      writeThrough(bytes);
      return;
    }
    drain(); // the file now holds every byte before position
    int blocks = bytes.remaining() - bytes.remaining() % direct.alignment();
    ByteBuffer head = bytes.slice();
    head.limit(blocks);
    written.update(head.duplicate());
    direct.write(head, position);
    bytes.position(bytes.position() + blocks);
    position += blocks;
    file.position(position); // buffered writes continue after the direct ones
    writeThrough(bytes);
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
      try {
        channel.close();
      } finally {
        try {
          if (direct != null) {
            direct.close();
          }
        } finally {
          memory.close();
        }
      }
    }
  }

  private void drain() throws IOException {
    buffer.flip();
    writeFully(buffer);
    buffer.clear();
  }

  private void writeFully(ByteBuffer bytes) throws IOException {
    written.update(bytes.duplicate());
    while (bytes.hasRemaining()) {
      channel.write(bytes);
    }
  }
}
