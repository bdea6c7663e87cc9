package dev.o2v.core.io;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;

/**
 * A {@link DataOutputStream} that also writes whole {@link ByteBuffer}s. Over a channel, a direct
 * buffer (such as one that views a native array) goes to the channel as it is, without a copy on
 * the Java heap; over any other stream it is copied through a small heap array.
 */
public final class BulkDataOutput extends DataOutputStream {

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

  /** {@code out} itself when it already is one, else a stream that writes through to it. */
  public static BulkDataOutput wrap(OutputStream out) {
    return out instanceof BulkDataOutput bulk ? bulk : new BulkDataOutput(out, null);
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
