package dev.o2v.train.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
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
