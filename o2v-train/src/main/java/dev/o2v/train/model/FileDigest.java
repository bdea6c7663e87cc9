package dev.o2v.train.model;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.zip.CRC32C;

/** CRC-32C of a file, used to detect a model file that was truncated or overwritten. */
public final class FileDigest {

  private FileDigest() {}

  /** The CRC-32C of the file's bytes as 8 lowercase hex digits. */
  public static String crc32c(Path file) throws IOException {
    CRC32C crc = new CRC32C();
    byte[] buffer = new byte[1 << 20];
    try (InputStream in = Files.newInputStream(file)) {
      int n;
      while ((n = in.read(buffer)) > 0) {
        crc.update(buffer, 0, n);
      }
    }
    return String.format(Locale.ROOT, "%08x", crc.getValue());
  }
}
