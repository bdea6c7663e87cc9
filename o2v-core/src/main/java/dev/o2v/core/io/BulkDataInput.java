package dev.o2v.core.io;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Path;

/**
 * A {@link DataInputStream} that also fills whole {@link ByteBuffer}s. Over a channel, a direct
 * buffer is filled by the channel itself, without a copy on the Java heap; over any other stream
 * the bytes are copied through a small heap array.
 */
public final class BulkDataInput extends DataInputStream {

  private final ChannelSource source; // null over a plain stream

  private BulkDataInput(InputStream in, ChannelSource source) {
    super(in);
    this.source = source;
  }

  /** A stream that reads {@code channel} through a direct buffer of {@code bufferBytes}. */
  public static BulkDataInput over(ReadableByteChannel channel, int bufferBytes) {
    ChannelSource source = new ChannelSource(channel, bufferBytes);
    return new BulkDataInput(source, source);
  }

  /**
   * A stream that reads {@code channel}, open on {@code file}, from its current position through
   * a direct buffer of {@code bufferBytes}. The whole blocks of {@link #readAligned} payloads that
   * lie at block boundaries of the file come straight from the disk into block-aligned targets
   * when the file system offers direct I/O. Closing the stream closes the channels.
   */
  public static BulkDataInput fromFile(Path file, FileChannel channel, int bufferBytes) {
    ChannelSource source =
        new ChannelSource(channel, bufferBytes, DirectReads.open(file, BulkDataOutput.ALIGNMENT));
    return new BulkDataInput(source, source);
  }

  /**
   * A direct buffer of {@code bytes} whose memory starts at a multiple of {@link
   * BulkDataOutput#ALIGNMENT}, the kind of target that {@link #readAligned} can fill past the page
   * cache.
   */
  public static DirectBuffer allocateAligned(int bytes) {
    return DirectBuffer.allocateAligned(bytes, BulkDataOutput.ALIGNMENT);
  }

  /**
   * Fills {@code target} from its position to its limit with the next bytes of the stream and
   * leaves its position at the limit.
   *
   * @throws java.io.EOFException when the stream ends first
   */
  public void readFully(ByteBuffer target) throws IOException {
    if (source != null) {
      source.readThrough(target);
    } else {
      copyThrough(this, target);
    }
  }

  /**
   * Reads a payload written by {@link BulkDataOutput#writeAligned}: int pad, pad bytes (skipped),
   * then the bytes that fill {@code target} from its position to its limit.
   *
   * @throws IOException when the pad is not in {@code [0, ALIGNMENT)} or the stream ends first
   */
  public static void readAligned(DataInputStream in, ByteBuffer target) throws IOException {
    int pad = in.readInt();
    if (pad < 0 || pad >= BulkDataOutput.ALIGNMENT) {
      throw new IOException(
          "corrupt stream: padding of " + pad + " bytes before an aligned payload, expected 0.."
              + (BulkDataOutput.ALIGNMENT - 1));
    }
    in.readFully(new byte[pad]);
    if (in instanceof BulkDataInput bulk && bulk.source != null) {
      bulk.source.readAligned(target);
    } else {
      readFully(in, target);
    }
  }

  /**
   * Fills the remaining space of {@code target} from any data stream: without a heap copy when it
   * is a {@link BulkDataInput} over a channel and {@code target} is direct.
   */
  public static void readFully(DataInputStream in, ByteBuffer target) throws IOException {
    if (in instanceof BulkDataInput bulk) {
      bulk.readFully(target);
    } else {
      copyThrough(in, target);
    }
  }

  private static void copyThrough(DataInputStream in, ByteBuffer target) throws IOException {
    if (target.hasArray()) {
      in.readFully(target.array(), target.arrayOffset() + target.position(), target.remaining());
      target.position(target.limit());
      return;
    }
    byte[] piece = new byte[Math.min(BulkDataOutput.PIECE_BYTES, target.remaining())];
    while (target.hasRemaining()) {
      int n = Math.min(piece.length, target.remaining());
      in.readFully(piece, 0, n);
      target.put(piece, 0, n);
    }
  }
}
