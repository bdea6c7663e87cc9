package dev.o2v.core.io;

import com.sun.nio.file.ExtendedOpenOption;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Positional reads of block-aligned ranges of a file that bypass the page cache (O_DIRECT), into
 * block-aligned memory: a multi-GB array read through the cache first fills fresh page-cache
 * memory and is then copied out of it again.
 */
final class DirectReads implements Closeable {

  private final FileChannel channel;
  private final int alignment;

  private DirectReads(FileChannel channel, int alignment) {
    this.channel = channel;
    this.alignment = alignment;
  }

  /**
   * Opens {@code file} for direct reads whose positions, lengths and memory addresses are
   * multiples of the file system's block size, which must divide {@code layoutAlignment}; null
   * when the platform or file system does not offer direct I/O.
   */
  static DirectReads open(Path file, int layoutAlignment) {
    try {
      long blockSize = Files.getFileStore(file).getBlockSize();
      if (blockSize < 1 || blockSize > layoutAlignment || layoutAlignment % blockSize != 0) {
        return null;
      }
      FileChannel channel =
          FileChannel.open(file, StandardOpenOption.READ, ExtendedOpenOption.DIRECT);
      return new DirectReads(channel, (int) blockSize);
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return null; // e.g. tmpfs refuses O_DIRECT: the cached path is always correct
    }
  }

  /** Block size: direct reads start at, span and land in multiples of it. */
  int alignment() {
    return alignment;
  }

  /** Whether {@code target}'s remaining space can take a direct read as it is. */
  boolean accepts(ByteBuffer target) {
    return target.isDirect()
        && target.remaining() >= alignment
        && target.alignmentOffset(target.position(), alignment) == 0;
  }

  /**
   * Fills {@code count} bytes of {@code target} (a multiple of {@link #alignment()}, from its
   * position, which {@link #accepts} it) from the file at {@code position}.
   *
   * @throws EOFException when the file ends first
   */
  void read(ByteBuffer target, long position, int count) throws IOException {
    ByteBuffer part = target.slice();
    part.limit(count);
    long at = position;
    while (part.hasRemaining()) {
      int n = channel.read(part, at);
      if (n < 0) {
        throw new EOFException(part.remaining() + " bytes missing at the end of the file");
      }
      at += n;
    }
    target.position(target.position() + count);
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
