package dev.o2v.train.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileDigestTest {

  @TempDir Path dir;

  private static String expected(byte[] bytes) {
    CRC32C crc = new CRC32C();
    crc.update(bytes);
    return String.format(Locale.ROOT, "%08x", crc.getValue());
  }

  @Test
  void filesOfEverySizeAroundTheReadBufferGetTheCrcOfTheirBytes() throws IOException {
    SplittableRandom random = new SplittableRandom(3);
    for (int size : new int[] {0, 1, 4095, 4096, (1 << 20) - 1, 1 << 20, (1 << 20) + 4099}) {
      byte[] bytes = new byte[size];
      for (int i = 0; i < size; i++) {
        bytes[i] = (byte) random.nextInt(256);
      }
      Path file = dir.resolve("f" + size);
      Files.write(file, bytes);
      assertEquals(expected(bytes), FileDigest.crc32c(file), "file of " + size + " bytes");
    }
  }
}
