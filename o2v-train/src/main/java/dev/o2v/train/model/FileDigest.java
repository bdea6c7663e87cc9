package dev.o2v.train.model;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.zip.CRC32C;

/** CRC-32C of a file, used to detect a model file that was truncated or overwritten. */
public final class FileDigest {

  private static final int BUFFER_BYTES = 1 << 20;

  private FileDigest() {}

  /** The CRC-32C of the file's bytes as 8 lowercase hex digits. */
  public static String crc32c(Path file) throws IOException {
    CRC32C crc = new CRC32C();
    // A direct buffer: the channel fills it without a second copy through the Java heap.
    ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER_BYTES);
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      while (channel.read(buffer) >= 0) {
        buffer.flip();
        crc.update(buffer);
        buffer.clear();
      }
    }
    return String.format(Locale.ROOT, "%08x", crc.getValue());
  }
}
