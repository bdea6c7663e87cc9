package dev.o2v.core.io;

import com.sun.nio.file.ExtendedOpenOption;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Positional writes to block-aligned ranges of a file that bypass the page cache (O_DIRECT). A
 * multi-GB array written through the page cache costs the kernel a copy and fresh page-cache
 * memory for every byte, which on a loaded machine takes longer than the disk does.
 */
final class DirectWrites implements Closeable {

  /** Size of the aligned buffer that unaligned sources are copied through. */
  private static final int BOUNCE_BYTES = 8 << 20;

  private final FileChannel channel;
  private final int alignment;
  private DirectBuffer bounce; // allocated on first use, freed by close

  private DirectWrites(FileChannel channel, int alignment) {
    this.channel = channel;
    this.alignment = alignment;
  }

  /**
   * Opens {@code file} (which exists) for direct writes whose positions and lengths are multiples
   * of the file system's block size, which must divide {@code layoutAlignment}; null when the
   * platform or file system does not offer direct I/O (then every write goes through the cache).
   */
  static DirectWrites open(Path file, int layoutAlignment) {
    try {
      long blockSize = Files.getFileStore(file).getBlockSize();
      if (blockSize < 1 || blockSize > layoutAlignment || layoutAlignment % blockSize != 0) {
        return null;
      }
      FileChannel channel =
          FileChannel.open(file, StandardOpenOption.WRITE, ExtendedOpenOption.DIRECT);
      return new DirectWrites(channel, (int) blockSize);
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return null; // e.g. tmpfs refuses O_DIRECT: the cached path is always correct
    }
  }

  /** Block size: direct writes start at and span multiples of it. */
  int alignment() {
    return alignment;
  }

  /**
   * Writes the remaining bytes of {@code source} (a multiple of {@link #alignment()}) at {@code
   * position} (a multiple too), straight from {@code source} when its memory is aligned, else
   * through an aligned buffer; leaves {@code source}'s position at its limit.
   */
  void write(ByteBuffer source, long position) throws IOException {
    if (source.remaining() % alignment != 0 || position % alignment != 0) {
      throw new IllegalArgumentException(
          "direct write of " + source.remaining() + " bytes at " + position
              + " is not aligned to " + alignment);
    }
    if (source.isDirect() && source.alignmentOffset(source.position(), alignment) == 0) {
      writeFully(source, position);
      return;
    }
    if (bounce == null) {
      bounce = BulkDataInput.allocateAligned(BOUNCE_BYTES);
    }
    ByteBuffer through = bounce.bytes();
    while (source.hasRemaining()) {
      int n = Math.min(through.capacity(), source.remaining());
      ByteBuffer part = source.slice();
      part.limit(n);
      through.clear();
      through.put(part).flip();
      source.position(source.position() + n);
      position += writeFully(through, position);
    }
  }

  private int writeFully(ByteBuffer bytes, long position) throws IOException {
    int total = 0;
    while (bytes.hasRemaining()) {
      total += channel.write(bytes, position + total);
    }
    return total;
  }

  @Override
  public void close() throws IOException {
    try {
      channel.close();
    } finally {
      if (bounce != null) {
        bounce.close();
      }
    }
  }
}
