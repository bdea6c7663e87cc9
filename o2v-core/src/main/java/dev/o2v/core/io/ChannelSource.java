package dev.o2v.core.io;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;

/**
 * A buffered input stream over a channel that can also fill buffers from the channel directly,
 * and, over a file, read the aligned middle of large payloads past the page cache.
 */
final class ChannelSource extends InputStream {

  private final ReadableByteChannel channel;
  private final DirectBuffer memory; // freed by close
  private final ByteBuffer buffer; // memory's bytes
  private final FileChannel file; // the channel when reading a file, for positions and seeking
  private final DirectReads direct; // null: every byte comes through channel

  ChannelSource(ReadableByteChannel channel, int bufferBytes) {
    this(channel, bufferBytes, null);
  }

  /** A source over {@code channel}; {@code direct} (or null) reads the same file past the cache. */
  ChannelSource(ReadableByteChannel channel, int bufferBytes, DirectReads direct) {
    if (bufferBytes < 1) {
      throw new IllegalArgumentException("buffer size must be >= 1, found " + bufferBytes);
    }
    this.channel = channel;
    this.memory = DirectBuffer.allocate(bufferBytes);
    this.buffer = memory.bytes();
    this.buffer.limit(0); // nothing buffered yet
    this.file = channel instanceof FileChannel fileChannel ? fileChannel : null;
    this.direct = file == null ? null : direct;
  }

  @Override
  public int read() throws IOException {
    if (!buffer.hasRemaining() && !fill()) {
      return -1;
    }
    return buffer.get() & 0xFF;
  }

  @Override
  public int read(byte[] bytes, int offset, int length) throws IOException {
    if (length == 0) {
      return 0;
    }
    if (!buffer.hasRemaining() && !fill()) {
      return -1;
    }
    int n = Math.min(length, buffer.remaining());
    buffer.get(bytes, offset, n);
    return n;
  }

  @Override
  public int available() {
    return buffer.remaining();
  }

  /**
   * Fills {@code target} from its position to its limit: buffered bytes first, then, for a direct
   * target, straight from the channel.
   *
   * @throws EOFException when the channel ends first
   */
  void readThrough(ByteBuffer target) throws IOException {
    transferBuffered(target);
    while (target.hasRemaining()) {
      if (target.isDirect()) {
        if (channel.read(target) < 0) {
          throw new EOFException(target.remaining() + " bytes missing at the end of the stream");
        }
      } else {
        if (!fill()) {
          throw new EOFException(target.remaining() + " bytes missing at the end of the stream");
        }
        transferBuffered(target);
      }
    }
  }

  /**
   * Fills {@code target} like {@link #readThrough}; when the next byte sits at a block boundary of
   * the file and {@code target}'s memory is block-aligned, its whole blocks are read past the page
   * cache and only the last partial block through it.
   */
  void readAligned(ByteBuffer target) throws IOException {
    if (direct == null || !direct.accepts(target)) {
      readThrough(target);
      return;
    }
    long position = file.position() - buffer.remaining(); // of the next unread byte
    if (position % direct.alignment() != 0) {
      readThrough(target);
      return;
    }
    int blocks = target.remaining() - target.remaining() % direct.alignment();
    buffer.limit(0); // read-ahead past this point is dropped
    direct.read(target, position, blocks);
    file.position(position + blocks);
    readThrough(target);
  }

  @Override
  public void close() throws IOException {
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

  private void transferBuffered(ByteBuffer target) {
    int n = Math.min(buffer.remaining(), target.remaining());
    ByteBuffer part = buffer.slice();
    part.limit(n);
    target.put(part);
    buffer.position(buffer.position() + n);
  }

  /** Refills the empty buffer; false at the end of the channel. */
  private boolean fill() throws IOException {
    buffer.clear();
    int n;
    do {
      n = channel.read(buffer);
    } while (n == 0);
    buffer.flip();
    return n > 0;
  }
}
