package dev.o2v.inference.retrieval;

import dev.o2v.core.data.DataFormatException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a NumPy {@code .npy} file holding a little-endian float32, C-order, two-dimensional
 * array (what {@code o2v embed --format npy} writes) into normalised {@link UnitVectors}.
 *
 * <p>Format facts used: magic {@code \x93NUMPY}, a major version byte (1 gives a 2-byte header
 * length, 2 and 3 a 4-byte one, both little-endian, after a minor version byte), then an ASCII
 * Python dict with {@code descr}, {@code fortran_order} and {@code shape}, then the data.
 */
public final class NpyMatrix {

  private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
  private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
  private static final Pattern SHAPE =
      Pattern.compile("'shape'\\s*:\\s*\\(\\s*(\\d+)\\s*,\\s*(\\d+)\\s*,?\\s*\\)");

  private NpyMatrix() {}

  /**
   * The rows of {@code file}, normalised.
   *
   * @throws DataFormatException ({@code FILE:1: reason}) when it is not such an array
   * @throws IOException when it cannot be read
   */
  public static UnitVectors read(Path file) throws IOException {
    String source = file.toString();
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer preamble = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
      readFully(channel, preamble, 0);
      preamble.flip();
      byte[] magic = new byte[6];
      if (preamble.remaining() < 12) {
        throw new DataFormatException(source, 1, "too short for a .npy file");
      }
      preamble.get(magic);
      if ((magic[0] & 0xff) != 0x93
          || !"NUMPY".equals(new String(magic, 1, 5, StandardCharsets.US_ASCII))) {
        throw new DataFormatException(source, 1, "not a .npy file (no \\x93NUMPY magic)");
      }
      int major = preamble.get() & 0xff;
      preamble.get(); // minor version
      long headerLength;
      int headerStart;
      if (major == 1) {
        headerLength = preamble.getShort() & 0xffff;
        headerStart = 10;
      } else if (major == 2 || major == 3) {
        headerLength = preamble.getInt() & 0xffffffffL;
        headerStart = 12;
      } else {
        throw new DataFormatException(source, 1, "unsupported .npy version " + major);
      }
      if (headerLength > 1 << 20) {
        throw new DataFormatException(source, 1, "implausible .npy header length " + headerLength);
      }
      ByteBuffer headerBytes = ByteBuffer.allocate((int) headerLength);
      readFully(channel, headerBytes, headerStart);
      String header = new String(headerBytes.array(), 0, headerBytes.position(),
          major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
      String descr = find(DESCR, header, source, "descr");
      if (!descr.equals("<f4") && !descr.equals("float32")) {
        throw new DataFormatException(source, 1,
            "the array must be little-endian float32 ('<f4'), found '" + descr + "'");
      }
      if (find(FORTRAN, header, source, "fortran_order").equals("True")) {
        throw new DataFormatException(source, 1, "the array must be in C order, not Fortran");
      }
      Matcher shape = SHAPE.matcher(header);
      if (!shape.find()) {
        throw new DataFormatException(source, 1, "the array must be two-dimensional (rows, width)"
            + ", found header " + header.trim());
      }
      long rows = Long.parseLong(shape.group(1));
      long width = Long.parseLong(shape.group(2));
      long values = rows * width;
      if (width < 1 || values > Integer.MAX_VALUE - 8) {
        throw new DataFormatException(source, 1, String.format(Locale.ROOT,
            "shape (%d, %d) is not supported (width >= 1, at most 2^31 values)", rows, width));
      }
      long dataStart = headerStart + headerLength;
      if (channel.size() < dataStart + 4 * values) {
        throw new DataFormatException(source, 1, String.format(Locale.ROOT,
            "file has %d bytes, shape (%d, %d) needs %d", channel.size(), rows, width,
            dataStart + 4 * values));
      }
      float[] flat = new float[(int) values];
      ByteBuffer chunk = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
      long position = dataStart;
      int filled = 0;
      while (filled < flat.length) {
        chunk.clear();
        chunk.limit((int) Math.min(chunk.capacity(), 4L * (flat.length - filled)));
        position += readFully(channel, chunk, position);
        chunk.flip();
        int n = chunk.remaining() / 4;
        chunk.asFloatBuffer().get(flat, filled, n);
        filled += n;
      }
      return UnitVectors.normalizeInPlace(flat, (int) rows, (int) width);
    }
  }

  private static String find(Pattern pattern, String header, String source, String key) {
    Matcher m = pattern.matcher(header);
    if (!m.find()) {
      throw new DataFormatException(source, 1, "the .npy header has no " + key);
    }
    return m.group(1);
  }

  private static int readFully(FileChannel channel, ByteBuffer into, long position)
      throws IOException {
    int total = 0;
    while (into.hasRemaining()) {
      int n = channel.read(into, position + total);
      if (n < 0) {
        break;
      }
      total += n;
    }
    return total;
  }
}
