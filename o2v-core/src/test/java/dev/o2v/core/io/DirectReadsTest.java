package dev.o2v.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.nio.file.ExtendedOpenOption;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectReadsTest {

  @TempDir Path dir;

  @Test
  void blocksComeFromTheirPositionsIntoAlignedMemory() throws IOException {
    Path file = dir.resolve("direct.bin");
    byte[] content = new byte[3 * 4096 + 10];
    for (int i = 0; i < content.length; i++) {
      content[i] = (byte) (i / 4096 + 1);
    }
    Files.write(file, content);
    DirectReads direct = DirectReads.open(file, BulkDataOutput.ALIGNMENT);
    if (direct == null) {
      // Then the file system must really refuse direct I/O; the cached path takes over.
      assertThrows(IOException.class,
          () -> FileChannel.open(file, StandardOpenOption.READ, ExtendedOpenOption.DIRECT)
              .close(), "open(2) with O_DIRECT should fail where DirectReads declines");
      return;
    }
    try (direct) {
      int block = direct.alignment();
      ByteBuffer target = BulkDataInput.allocateAligned(2 * block).bytes();
      assertTrue(direct.accepts(target), "aligned direct memory is accepted");
      assertFalse(direct.accepts(ByteBuffer.allocate(2 * block)), "heap memory is not");
      assertFalse(direct.accepts(target.duplicate().position(1)), "an offset address is not");
      direct.read(target, block, 2 * block);
      assertEquals(2 * block, target.position(), "target filled");
      byte[] read = new byte[2 * block];
      target.flip().get(read);
      byte[] expected = Arrays.copyOfRange(content, block, 3 * block);
      assertArrayEquals(expected, read, "blocks 1 and 2");
      ByteBuffer pastEnd = BulkDataInput.allocateAligned(2 * block).bytes();
      assertThrows(EOFException.class, () -> direct.read(pastEnd, 4L * block, 2 * block),
          "no blocks after the end");
    }
  }
}
