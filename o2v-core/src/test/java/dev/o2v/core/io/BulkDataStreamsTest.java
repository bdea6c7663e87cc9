package dev.o2v.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BulkDataStreamsTest {

  @TempDir Path dir;

  /** Bytes 0, 7, 14, … (mod 256), so a shifted or repeated piece shows up. */
  private static byte[] pattern(int length, int seed) {
    byte[] bytes = new byte[length];
    for (int i = 0; i < length; i++) {
      bytes[i] = (byte) (seed + 7 * i);
    }
    return bytes;
  }

  private static ByteBuffer direct(byte[] bytes) {
    ByteBuffer buffer = ByteBuffer.allocateDirect(bytes.length);
    buffer.put(bytes).flip();
    return buffer;
  }

  /** Writes a header, a direct buffer larger than the stream buffer, a heap buffer and a tail. */
  private static void writeSample(DataOutputStream out) throws IOException {
    out.writeInt(42);
    out.writeUTF("table");
    BulkDataOutput.write(out, direct(pattern(1000, 1)));
    out.writeLong(-5);
    BulkDataOutput.write(out, ByteBuffer.wrap(pattern(300, 2)));
    out.writeByte(9);
    out.flush();
  }

  private static void checkSample(DataInputStream in) throws IOException {
    assertEquals(42, in.readInt(), "leading int");
    assertEquals("table", in.readUTF(), "string");
    ByteBuffer big = ByteBuffer.allocateDirect(1000);
    BulkDataInput.readFully(in, big);
    assertEquals(1000, big.position(), "a filled buffer's position is at its limit");
    byte[] bigBytes = new byte[1000];
    big.flip().get(bigBytes);
    assertArrayEquals(pattern(1000, 1), bigBytes, "direct buffer content");
    assertEquals(-5, in.readLong(), "long between the buffers");
    ByteBuffer heap = ByteBuffer.allocate(300);
    BulkDataInput.readFully(in, heap);
    assertArrayEquals(pattern(300, 2), heap.array(), "heap buffer content");
    assertEquals(9, in.readByte(), "trailing byte");
    assertEquals(-1, in.read(), "end of stream");
  }

  @Test
  void buffersAndPrimitivesRoundTripThroughAFileChannelWithASmallBuffer() throws IOException {
    Path file = dir.resolve("sample.bin");
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE,
        StandardOpenOption.WRITE)) {
      BulkDataOutput out = BulkDataOutput.over(channel, 64);
      writeSample(out);
      assertEquals(4 + 7 + 1000 + 8 + 300 + 1, out.size(), "bytes counted");
    }
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      checkSample(BulkDataInput.over(channel, 64));
    }
    try (DataInputStream plain = new DataInputStream(Files.newInputStream(file))) {
      checkSample(plain);
    }
  }

  @Test
  void plainStreamsGiveTheSameBytesAsChannels() throws IOException {
    ByteArrayOutputStream plain = new ByteArrayOutputStream();
    writeSample(new DataOutputStream(plain));
    ByteArrayOutputStream wrapped = new ByteArrayOutputStream();
    writeSample(BulkDataOutput.wrap(wrapped));
    Path file = dir.resolve("channel.bin");
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE,
        StandardOpenOption.WRITE)) {
      writeSample(BulkDataOutput.over(channel, 10));
    }
    assertArrayEquals(plain.toByteArray(), wrapped.toByteArray(), "wrapped stream bytes");
    assertArrayEquals(plain.toByteArray(), Files.readAllBytes(file), "channel bytes");
    checkSample(new DataInputStream(new ByteArrayInputStream(plain.toByteArray())));
  }

  @Test
  void aTruncatedStreamEndsWithEofWhenFillingABuffer() throws IOException {
    Path file = dir.resolve("short.bin");
    Files.write(file, pattern(100, 3));
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      BulkDataInput in = BulkDataInput.over(channel, 16);
      in.readInt();
      assertThrows(EOFException.class, () -> in.readFully(ByteBuffer.allocateDirect(97)),
          "direct buffer past the end");
    }
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      BulkDataInput in = BulkDataInput.over(channel, 16);
      assertThrows(EOFException.class, () -> in.readFully(ByteBuffer.allocate(101)),
          "heap buffer past the end");
    }
  }

  @Test
  void aStreamOverAChannelSumsWhatItWroteAndAPlainOneCannot() throws IOException {
    Path file = dir.resolve("summed.bin");
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW,
        StandardOpenOption.WRITE);
        BulkDataOutput out = BulkDataOutput.over(channel, 64)) {
      assertEquals(crc32c(new byte[0]), out.crc32c().getAsLong(), "nothing written yet");
      writeSample(out);
      out.writeInt(5); // still buffered: crc32c() flushes it first
      long summed = out.crc32c().getAsLong();
      assertEquals(crc32c(Files.readAllBytes(file)), summed);
      assertEquals(Files.size(file), out.size());
    }
    BulkDataOutput plain = BulkDataOutput.wrap(new ByteArrayOutputStream());
    plain.writeInt(1);
    assertTrue(plain.crc32c().isEmpty(), "a plain stream has no checksum");
  }

  private static long crc32c(byte[] bytes) {
    CRC32C crc = new CRC32C();
    crc.update(bytes);
    return crc.getValue();
  }

  @Test
  void wrappingABulkStreamReturnsItself() {
    BulkDataOutput out = BulkDataOutput.wrap(new ByteArrayOutputStream());
    assertEquals(out, BulkDataOutput.wrap(out), "no second layer");
  }
  /** A channel wrapped around the file (to count or fail writes) is not bypassed by direct I/O. */
  @Test
  void aWrappingChannelSeesEveryByteOfAlignedPayloads() throws IOException {
    Path file = dir.resolve("wrapped.bin");
    Files.createFile(file);
    byte[] big = pattern(64 * 4096, 7);
    long[] seen = new long[1];
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      WritableByteChannel counting = new WritableByteChannel() {
        @Override
        public int write(ByteBuffer src) throws IOException {
          seen[0] += src.remaining();
          return channel.write(src);
        }

        @Override
        public boolean isOpen() {
          return channel.isOpen();
        }

        @Override
        public void close() throws IOException {
          channel.close();
        }
      };
      try (BulkDataOutput out = BulkDataOutput.toNewFile(file, channel, counting, 64)) {
        out.writeAligned(direct(big));
      }
    }
    assertEquals(Files.size(file), seen[0], "bytes through the wrapper");
    assertTrue(seen[0] > big.length, "the payload and its header went through the wrapper");
  }

  @Test
  void alignedPayloadsOfANewFileStartAtBlockBoundariesAndReadBack() throws IOException {
    Path file = dir.resolve("aligned.bin");
    Files.createFile(file);
    byte[] big = pattern(3 * 4096 + 123, 4);
    byte[] odd = pattern(10_000, 5);
    byte[] small = pattern(17, 6);
    ByteBuffer unalignedDirect = ByteBuffer.allocateDirect(odd.length + 1);
    unalignedDirect.put((byte) 0).put(odd).flip().position(1); // memory one byte off a block
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE);
        BulkDataOutput out = BulkDataOutput.toNewFile(file, channel, channel, 64)) {
      out.writeUTF("header");
      out.writeAligned(direct(big));
      out.writeLong(77);
      out.writeAligned(unalignedDirect);
      out.writeAligned(ByteBuffer.wrap(small));
      out.writeByte(3);
      out.flush();
      assertEquals(Files.size(file), out.size(), "every byte counted and on disk");
      assertEquals(crc32c(Files.readAllBytes(file)), out.crc32c().getAsLong(),
          "checksum summed while writing, direct blocks included");
    }
    byte[] all = Files.readAllBytes(file);
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(all))) {
      assertEquals("header", in.readUTF());
      checkAlignedPayload(in, all.length, big, "direct payload");
      assertEquals(77, in.readLong(), "long between payloads");
      checkAlignedPayload(in, all.length, odd, "unaligned direct payload");
      checkAlignedPayload(in, all.length, small, "small heap payload");
      assertEquals(3, in.readByte(), "trailing byte");
    }
    for (boolean fromFile : new boolean[] {true, false}) {
      try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
        BulkDataInput in =
            fromFile ? BulkDataInput.fromFile(file, channel, 100) : BulkDataInput.over(channel, 100);
        String how = fromFile ? "from the file" : "over the channel";
        assertEquals("header", in.readUTF(), how);
        assertArrayEquals(big, readAligned(in, big.length), "direct payload " + how);
        assertEquals(77, in.readLong(), "long between payloads " + how);
        assertArrayEquals(odd, readAligned(in, odd.length), "second payload " + how);
        assertArrayEquals(small, readAligned(in, small.length), "small payload " + how);
        assertEquals(3, in.readByte(), "trailing byte " + how);
        assertEquals(-1, in.read(), "end " + how);
      }
    }
  }

  private static byte[] readAligned(DataInputStream in, int length) throws IOException {
    ByteBuffer target = BulkDataInput.allocateAligned(length).bytes();
    assertEquals(0, target.alignmentOffset(0, BulkDataOutput.ALIGNMENT), "aligned target");
    assertEquals(length, target.capacity(), "target capacity");
    BulkDataInput.readAligned(in, target);
    byte[] read = new byte[length];
    target.flip().get(read);
    return read;
  }

  /** Reads pad and payload, checking the payload starts at a multiple of 4096. */
  private static void checkAlignedPayload(DataInputStream in, int fileLength, byte[] expected,
      String what) throws IOException {
    int pad = in.readInt();
    in.readFully(new byte[pad]);
    long offset = fileLength - in.available();
    assertEquals(0, offset % BulkDataOutput.ALIGNMENT, what + " starts at " + offset);
    byte[] payload = new byte[expected.length];
    in.readFully(payload);
    assertArrayEquals(expected, payload, what);
  }

  @Test
  void alignedPayloadsOfPlainStreamsHaveNoPadding() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeByte(1);
    BulkDataOutput.writeAligned(out, ByteBuffer.wrap(pattern(5, 7)));
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()));
    assertEquals(1, in.readByte());
    assertEquals(0, in.readInt(), "pad");
    ByteBuffer target = ByteBuffer.allocate(5);
    BulkDataInput.readFully(in, target);
    assertArrayEquals(pattern(5, 7), target.array());
  }

  @Test
  void aPaddingOutsideOneBlockIsRejected() {
    byte[] bytes = {0, 0, 0x10, 0}; // pad 4096
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
    IOException e =
        assertThrows(IOException.class, () -> BulkDataInput.readAligned(in, ByteBuffer.allocate(1)));
    assertEquals(
        "corrupt stream: padding of 4096 bytes before an aligned payload, expected 0..4095",
        e.getMessage());
  }
}
