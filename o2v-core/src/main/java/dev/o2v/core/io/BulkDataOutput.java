package dev.o2v.core.io;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * A {@link DataOutputStream} that also writes whole {@link ByteBuffer}s. Over a channel, a direct
 * buffer (such as one that views a native array) goes to the channel as it is, without a copy on
 * the Java heap; over any other stream it is copied through a small heap array.
 *
 * <p>{@link #writeAligned} writes a payload after padding that puts it at a multiple of {@link
 * #ALIGNMENT} bytes from the start of the stream; over a new file ({@link #toNewFile}) its whole
 * blocks then bypass the page cache (O_DIRECT) where the file system allows.
 */
public final class BulkDataOutput extends DataOutputStream {

  /** Payloads of {@link #writeAligned} start at multiples of this many bytes. */
  public static final int ALIGNMENT = 4096;

  /** Size of the heap pieces a direct buffer is copied through when there is no channel. */
  static final int PIECE_BYTES = 1 << 20;

  private final ChannelSink sink; // null over a plain stream

  private BulkDataOutput(OutputStream out, ChannelSink sink) {
    super(out);
    this.sink = sink;
  }

  /** A stream that writes to {@code channel} through a direct buffer of {@code bufferBytes}. */
  public static BulkDataOutput over(WritableByteChannel channel, int bufferBytes) {
    ChannelSink sink = new ChannelSink(channel, bufferBytes);
    return new BulkDataOutput(sink, sink);
  }

  /**
   * A stream that writes the new, empty {@code file} from its start. Small writes gather in a
   * direct buffer of {@code bufferBytes} and go to {@code channel}, which must write through
   * {@code fileChannel} (it may wrap it, e.g. to inject faults in tests). When {@code channel}
   * is {@code fileChannel} itself, the whole blocks of {@link #writeAligned} payloads go
   * straight to the disk where the file system offers direct I/O; a wrapping channel sees every
   * byte. Closing the stream closes both.
   */
  public static BulkDataOutput toNewFile(
      Path file, FileChannel fileChannel, WritableByteChannel channel, int bufferBytes) {
    DirectWrites direct = channel == fileChannel ? DirectWrites.open(file, ALIGNMENT) : null;
    ChannelSink sink = new ChannelSink(channel, bufferBytes, fileChannel, direct);
    return new BulkDataOutput(sink, sink);
  }

  /** {@code out} itself when it already is one, else a stream that writes through to it. */
  public static BulkDataOutput wrap(OutputStream out) {
    return out instanceof BulkDataOutput bulk ? bulk : new BulkDataOutput(out, null);
  }

  /**
   * The CRC-32C of every byte this stream has written to its channel, after flushing what it
   * buffers: a file written from its start by {@link #toNewFile} is summed as it is written,
   * without reading it back. Empty over a plain stream.
   */
  public OptionalLong crc32c() throws IOException {
    if (sink == null) {
      return OptionalLong.empty();
    }
    flush();
    return OptionalLong.of(sink.crc32c());
  }

  /**
   * Writes the bytes of {@code bytes} from its position to its limit, after everything written
   * before, and leaves its position at the limit.
   */
  public void write(ByteBuffer bytes) throws IOException {
    int length = bytes.remaining();
    if (sink != null) {
      flush(); // nothing may overtake bytes still buffered above the sink
      sink.writeThrough(bytes);
    } else {
      copyThrough(out, bytes);
    }
    written = (int) Math.min(Integer.MAX_VALUE, (long) written + length);
  }

  /**
   * Writes int {@code pad}, {@code pad} zero bytes and then the remaining bytes of {@code bytes},
   * with {@code pad} chosen so that the payload starts at a multiple of {@link #ALIGNMENT} bytes
   * from the start of this stream (0 when this stream does not count from a file's start).
   * {@link BulkDataInput#readAligned} reads it back.
   */
  public void writeAligned(ByteBuffer bytes) throws IOException {
    if (sink == null) {
      writeInt(0);
      write(bytes);
      return;
    }
    int pad = (int) Math.floorMod(-(sink.position() + Integer.BYTES), (long) ALIGNMENT);
    writeInt(pad);
    sink.writeZeros(pad);
    int length = bytes.remaining();
    sink.writeAligned(bytes);
    written = (int) Math.min(Integer.MAX_VALUE, (long) written + pad + length);
  }

  /**
   * {@link #writeAligned(ByteBuffer)} on any data stream; a plain one gets no padding (pad 0).
   */
  public static void writeAligned(DataOutputStream out, ByteBuffer bytes) throws IOException {
    if (out instanceof BulkDataOutput bulk) {
      bulk.writeAligned(bytes);
    } else {
      out.writeInt(0);
      copyThrough(out, bytes);
    }
  }

  /**
   * Writes the remaining bytes of {@code bytes} to any data stream: without a heap copy when it is
   * a {@link BulkDataOutput} over a channel.
   */
  public static void write(DataOutputStream out, ByteBuffer bytes) throws IOException {
    if (out instanceof BulkDataOutput bulk) {
      bulk.write(bytes);
    } else {
      copyThrough(out, bytes);
    }
  }

  private static void copyThrough(OutputStream out, ByteBuffer bytes) throws IOException {
    if (bytes.hasArray()) {
      out.write(bytes.array(), bytes.arrayOffset() + bytes.position(), bytes.remaining());
      bytes.position(bytes.limit());
      return;
    }
    byte[] piece = new byte[Math.min(PIECE_BYTES, bytes.remaining())];
    while (bytes.hasRemaining()) {
      int n = Math.min(piece.length, bytes.remaining());
      bytes.get(piece, 0, n);
      out.write(piece, 0, n);
    }
  }
}
