package dev.o2v.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class DirectBufferTest {

  @Test
  void closingGivesTheMemoryBackWithoutWaitingForTheCollector() {
    int bytes = 16 << 20;
    long before = DirectBuffer.bytesInUse();
    DirectBuffer buffer = DirectBuffer.allocate(bytes);
    buffer.bytes().put(0, (byte) 1).put(bytes - 1, (byte) 2);
    long held = DirectBuffer.bytesInUse();
    assertTrue(held - before >= bytes, "allocated " + (held - before) + " bytes");
    buffer.close();
    long after = DirectBuffer.bytesInUse();
    assertTrue(held - after >= bytes,
        "closing freed " + (held - after) + " of " + bytes + " bytes (the buffer is still strongly"
            + " reachable here, so only an explicit free explains it)");
  }

  @Test
  void alignedBuffersStartOnTheBoundaryAndFreeTheirWholeAllocation() {
    int alignment = 4096;
    long before = DirectBuffer.bytesInUse();
    try (DirectBuffer buffer = DirectBuffer.allocateAligned(10_000, alignment)) {
      ByteBuffer bytes = buffer.bytes();
      assertTrue(bytes.isDirect());
      assertEquals(10_000, bytes.capacity());
      assertEquals(0, bytes.alignmentOffset(0, alignment), "start is aligned");
      assertTrue(DirectBuffer.bytesInUse() - before >= 10_000);
    }
    assertTrue(DirectBuffer.bytesInUse() - before < 10_000,
        "the aligned allocation is freed as well");
  }

  @Test
  void aClosedBufferRefusesUseAndClosesOnlyOnce() {
    DirectBuffer buffer = DirectBuffer.allocate(64);
    buffer.close();
    buffer.close();
    assertThrows(IllegalStateException.class, buffer::bytes);
    assertThrows(IllegalArgumentException.class, () -> DirectBuffer.allocateAligned(64, 3));
  }
}
