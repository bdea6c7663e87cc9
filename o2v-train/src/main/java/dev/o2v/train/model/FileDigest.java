package dev.o2v.train.model;

import com.sun.nio.file.ExtendedOpenOption;
import dev.o2v.core.io.BulkDataInput;
import dev.o2v.core.io.BulkDataOutput;
import dev.o2v.core.io.DirectBuffer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.zip.CRC32C;

/** CRC-32C of a file, used to detect a model file that was truncated or overwritten. */
final class FileDigest {

  private static final int BUFFER_BYTES = 1 << 20;

  private FileDigest() {}

  /**
   * The CRC-32C of the file's bytes as 8 lowercase hex digits. The file is read past the page
   * cache where the file system allows: checking a multi-GB weights file should not fill the
   * cache with bytes that the load then reads (also past the cache) once more.
   */
  public static String crc32c(Path file) throws IOException {
    CRC32C crc = new CRC32C();
    long size = Files.size(file);
    // Block-aligned direct memory: the channel fills it without a copy through the Java heap,
    // and it is what a direct read needs.
    try (DirectBuffer memory = BulkDataInput.allocateAligned(BUFFER_BYTES);
        FileChannel channel = open(file)) {
      ByteBuffer buffer = memory.bytes();
      long total = 0;
      while (total < size) { // a direct read may not continue after the short read at the end
        int n = channel.read(buffer);
        if (n < 0) {
          break;
        }
        total += n;
        buffer.flip();
        crc.update(buffer);
        buffer.clear();
      }
    }
    return hex(crc.getValue());
  }

  /** A CRC-32C value as {@link #crc32c(Path)} spells it: 8 lowercase hex digits. */
  static String hex(long crc32c) {
    return String.format(Locale.ROOT, "%08x", crc32c);
  }

  private static FileChannel open(Path file) throws IOException {
    try {
      long blockSize = Files.getFileStore(file).getBlockSize();
      if (blockSize >= 1 && BulkDataOutput.ALIGNMENT % blockSize == 0) {
        return FileChannel.open(file, StandardOpenOption.READ, ExtendedOpenOption.DIRECT);
      }
    } catch (IOException | UnsupportedOperationException e) {
      // e.g. tmpfs refuses O_DIRECT: read through the cache below
    }
    return FileChannel.open(file, StandardOpenOption.READ);
  }
}
