package dev.o2v.train.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.o2v.core.io.BulkDataOutput;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

  @TempDir Path dir;

  @AfterEach
  void restoreWrites() {
    WriteFaults.clear();
  }

  @Test
  void writtenFilesGetThePermissionsOfAnyNewFile() throws IOException {
    Path written = dir.resolve("manifest.json");
    AtomicFiles.write(written, "{}".getBytes(StandardCharsets.UTF_8));
    Path plain = Files.createFile(dir.resolve("plain.json"));
    assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(written),
        "permissions follow the umask, not owner-only");
  }

  @Test
  void aWriteReportsTheSizeAndChecksumOfWhatItLeft() throws IOException {
    Path target = dir.resolve("best-epoch-0001.params");
    ByteBuffer payload = ByteBuffer.allocateDirect(3 * BulkDataOutput.ALIGNMENT + 5);
    for (int i = 0; i < payload.capacity(); i++) {
      payload.put(i, (byte) (31 * i + 7));
    }
    AtomicFiles.Written written = AtomicFiles.write(target, out -> {
      BulkDataOutput bulk = BulkDataOutput.wrap(out);
      bulk.writeUTF("header");
      bulk.writeAligned(payload); // whole blocks past the page cache where the disk allows
      bulk.writeLong(-1);
    });
    assertEquals(Files.size(target), written.bytes());
    assertEquals(FileDigest.crc32c(target), FileDigest.hex(written.crc32c()),
        "the checksum summed while writing is the file's");
  }

  @Test
  void aFailedWriteNamesTheFileKeepsTheOldContentAndLeavesNoTemporaryFile()
      throws IOException {
    Path target = dir.resolve("epoch-0002.ckpt");
    AtomicFiles.write(target, "old".getBytes(StandardCharsets.UTF_8));
    WriteFaults.diskFullFor(name -> true, 3);
    IOException e = assertThrows(IOException.class,
        () -> AtomicFiles.write(target, new byte[1 << 21]));
    assertEquals("cannot write " + target + ": No space left on device", e.getMessage());
    assertArrayEquals("old".getBytes(StandardCharsets.UTF_8), Files.readAllBytes(target));
    try (Stream<Path> files = Files.list(dir)) {
      assertTrue(files.allMatch(target::equals), "only the target remains");
    }
  }
}
