package dev.o2v.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.sun.nio.file.ExtendedOpenOption;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectWritesTest {

  @TempDir Path dir;

  @Test
  void blocksLandAtTheirPositionsFromAlignedAndUnalignedMemory() throws IOException {
    Path file = dir.resolve("direct.bin");
    Files.createFile(file);
    DirectWrites direct = DirectWrites.open(file, BulkDataOutput.ALIGNMENT);
    if (direct == null) {
      // Then the file system must really refuse direct I/O; the cached path takes over.
      assertThrows(IOException.class,
          () -> FileChannel.open(file, StandardOpenOption.WRITE, ExtendedOpenOption.DIRECT)
              .close(), "open(2) with O_DIRECT should fail where DirectWrites declines");
      return;
    }
    try (direct) {
      int block = direct.alignment();
      byte[] first = new byte[2 * block];
      Arrays.fill(first, (byte) 1);
      ByteBuffer aligned = BulkDataInput.allocateAligned(first.length).bytes();
      aligned.put(first).flip();
      direct.write(aligned, block); // block 0 stays a hole
      byte[] second = new byte[block];
      Arrays.fill(second, (byte) 2);
      direct.write(ByteBuffer.wrap(second), 3L * block); // heap memory: through the aligned copy
      assertEquals(0, aligned.remaining(), "source consumed");
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> direct.write(ByteBuffer.allocateDirect(block), 1));
      assertEquals("direct write of " + block + " bytes at 1 is not aligned to " + block,
          e.getMessage());
      byte[] content = Files.readAllBytes(file);
      assertEquals(4 * block, content.length, "file length");
      byte[] expected = new byte[4 * block];
      Arrays.fill(expected, block, 3 * block, (byte) 1);
      Arrays.fill(expected, 3 * block, 4 * block, (byte) 2);
      assertArrayEquals(expected, content, "content");
    }
  }

  @Test
  void aFileSystemWhoseBlocksDoNotDivideTheLayoutGetsNoDirectWrites() throws IOException {
    Path file = dir.resolve("small-layout.bin");
    Files.createFile(file);
    assertNull(DirectWrites.open(file, 3), "a 3-byte layout fits no block size");
  }
}
