package dev.o2v.inference;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Streams rows into a NumPy {@code .npy} (format version 1.0) file holding a little-endian float32
 * C-order array of shape {@code [N, width]}.
 *
 * <p>The row count is unknown until the end, so the header is written first with room to spare
 * and rewritten in place by {@link #finish}: magic {@code \x93NUMPY}, version bytes 1 and 0, the
 * header length as a little-endian uint16, then a Python dict literal padded with spaces and ended
 * by a newline so that the data starts at byte {@link #DATA_OFFSET} (a multiple of 64).
 */
final class NpyWriter implements ResultWriter {

  /** Where the array data starts; large enough for any row count a long can hold. */
  static final int DATA_OFFSET = 128;

  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0};
  private static final int BUFFER_BYTES = 1 << 16;

  private final FileChannel file;
  private final int width;
  private final ByteBuffer buffer;
  private long rows;

  NpyWriter(FileChannel file, int width) throws IOException {
    if (width < 1) {
      throw new IllegalArgumentException("npy row width must be >= 1, found " + width);
    }
    this.file = file;
    this.width = width;
    this.buffer =
        ByteBuffer.allocate(Math.max(BUFFER_BYTES, 4 * width)).order(ByteOrder.LITTLE_ENDIAN);
    writeFully(header(0, width), 0);
    file.position(DATA_OFFSET);
  }

  /** The 128-byte preamble and header for an array of {@code rows} x {@code width}. */
  static ByteBuffer header(long rows, int width) {
    String dict =
        String.format(
            Locale.ROOT,
            "{'descr': '<f4', 'fortran_order': False, 'shape': (%d, %d), }",
            rows,
            width);
    int headerLength = DATA_OFFSET - MAGIC.length - 2;
    StringBuilder padded = new StringBuilder(dict);
    while (padded.length() < headerLength - 1) {
      padded.append(' ');
    }
    padded.append('\n');
    ByteBuffer out = ByteBuffer.allocate(DATA_OFFSET).order(ByteOrder.LITTLE_ENDIAN);
    out.put(MAGIC).putShort((short) headerLength);
    out.put(padded.toString().getBytes(StandardCharsets.US_ASCII));
    return out.flip();
  }

  @Override
  public void write(InferenceResult result) throws IOException {
    float[] row = result.values();
    ResultWriter.checkWidth(width, row);
    if (buffer.remaining() < 4 * width) {
      drain();
    }
    for (float v : row) {
      buffer.putFloat(v);
    }
    rows++;
  }

  @Override
  public void finish() throws IOException {
    drain();
    writeFully(header(rows, width), 0);
    file.force(false);
  }

  @Override
  public void close() throws IOException {
    file.close();
  }

  private void drain() throws IOException {
    buffer.flip();
    while (buffer.hasRemaining()) {
      file.write(buffer);
    }
    buffer.clear();
  }

  private void writeFully(ByteBuffer bytes, long position) throws IOException {
    long at = position;
    while (bytes.hasRemaining()) {
      at += file.write(bytes, at);
    }
  }
}
