package dev.o2v.core.fuzz;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Random edits of byte strings, the way a truncated download, a bad editor or a flipped bit
 * damages a file; every choice comes from the given seeded random.
 */
public final class Mutations {

  /** Bytes that matter to JSON and line splitting; mutations favour them. */
  private static final byte[] INTERESTING =
      "{}[]\",:\n\r\t 0-1e9.+Ee\\untrfals".getBytes(StandardCharsets.US_ASCII);

  /** Byte sequences that are not valid UTF-8 (stray continuation, overlong, surrogate, cut). */
  private static final byte[][] BAD_UTF8 = {
    {(byte) 0x80}, {(byte) 0xC0, (byte) 0xAF}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
    {(byte) 0xE2, (byte) 0x82}, {(byte) 0xFF}, {(byte) 0xF8, (byte) 0x88, (byte) 0x80},
    {(byte) 0xFE, (byte) 0xFF}, {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, {0}
  };

  private Mutations() {}

  /** {@code input} after 1 to {@code maxEdits} random edits. */
  public static byte[] mutate(byte[] input, int maxEdits, SplittableRandom random) {
    byte[] out = input;
    int edits = 1 + random.nextInt(maxEdits);
    for (int e = 0; e < edits; e++) {
      out = mutateOnce(out, random);
    }
    return out;
  }

  private static byte[] mutateOnce(byte[] in, SplittableRandom random) {
    int at = in.length == 0 ? 0 : random.nextInt(in.length + 1);
    switch (random.nextInt(9)) {
      case 0: // truncate
        return Arrays.copyOf(in, at);
      case 1: // flip a bit
        return in.length == 0 ? in : flip(in, random);
      case 2: // delete a run
        return delete(in, at, 1 + random.nextInt(8));
      case 3: // insert a JSON-significant byte
        return insert(in, at, new byte[] {INTERESTING[random.nextInt(INTERESTING.length)]});
      case 4: // insert invalid UTF-8
        return insert(in, at, BAD_UTF8[random.nextInt(BAD_UTF8.length)]);
      case 5: // insert random noise
        return insert(in, at, noise(1 + random.nextInt(16), random));
      case 6: // duplicate a run
        return duplicate(in, at, 1 + random.nextInt(32));
      case 7: // replace a digit run with an extreme number
        return insert(delete(in, at, random.nextInt(3)), at, extremeNumber(random));
      default: // overwrite with a JSON-significant byte
        if (in.length == 0) {
          return in;
        }
        byte[] copy = in.clone();
        copy[random.nextInt(copy.length)] = INTERESTING[random.nextInt(INTERESTING.length)];
        return copy;
    }
  }

  /** A number text at or beyond the limits of int, long, float and double, or not a number. */
  public static byte[] extremeNumber(SplittableRandom random) {
    String[] numbers = {
      "1e309", "-1e309", "1e-400", "2147483648", "-2147483649", "9223372036854775808",
      "1e999999999", "1e-999999999", "NaN", "Infinity", "-Infinity", "3.4028236e38", "-0",
      "0.0000000000000000000001", "1E2147483648", "00", "1.", ".5", "1e", "--1", "0x10",
      "123456789012345678901234567890123456789012345678901234567890"
    };
    return numbers[random.nextInt(numbers.length)].getBytes(StandardCharsets.US_ASCII);
  }

  /** {@code length} uniformly random bytes. */
  public static byte[] noise(int length, SplittableRandom random) {
    byte[] bytes = new byte[length];
    for (int i = 0; i < length; i++) {
      bytes[i] = (byte) random.nextInt(256);
    }
    return bytes;
  }

  /** {@code count} copies of {@code unit} concatenated, e.g. for deep nesting. */
  public static String repeat(String unit, int count) {
    return unit.repeat(count);
  }

  /**
   * A stream of {@code head}, then {@code fill} repeated up to {@code totalBytes}, then {@code
   * tail}; the content is generated as it is read, so a 100 MB line costs no 100 MB array here.
   */
  public static InputStream generated(byte[] head, byte[] fill, long totalBytes, byte[] tail) {
    return new InputStream() {
      private long pos;
      private final long fillEnd = Math.max(head.length, totalBytes - tail.length);
      private final long end = fillEnd + tail.length;

      @Override
      public int read() {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
      }

      @Override
      public int read(byte[] b, int off, int len) {
        if (pos >= end) {
          return -1;
        }
        int n = (int) Math.min(len, end - pos);
        for (int i = 0; i < n; i++, pos++) {
          b[off + i] = byteAt(pos);
        }
        return n;
      }

      private byte byteAt(long p) {
        if (p < head.length) {
          return head[(int) p];
        }
        if (p < fillEnd) {
          return fill[(int) ((p - head.length) % fill.length)];
        }
        return tail[(int) (p - fillEnd)];
      }
    };
  }

  private static byte[] flip(byte[] in, SplittableRandom random) {
    byte[] copy = in.clone();
    int i = random.nextInt(copy.length);
    copy[i] ^= (byte) (1 << random.nextInt(8));
    return copy;
  }

  private static byte[] delete(byte[] in, int at, int count) {
    int from = Math.min(at, in.length);
    int to = Math.min(in.length, from + count);
    byte[] out = new byte[in.length - (to - from)];
    System.arraycopy(in, 0, out, 0, from);
    System.arraycopy(in, to, out, from, in.length - to);
    return out;
  }

  private static byte[] insert(byte[] in, int at, byte[] piece) {
    int where = Math.min(at, in.length);
    byte[] out = new byte[in.length + piece.length];
    System.arraycopy(in, 0, out, 0, where);
    System.arraycopy(piece, 0, out, where, piece.length);
    System.arraycopy(in, where, out, where + piece.length, in.length - where);
    return out;
  }

  private static byte[] duplicate(byte[] in, int at, int count) {
    int from = Math.min(at, in.length);
    int to = Math.min(in.length, from + count);
    return insert(in, to, Arrays.copyOfRange(in, from, to));
  }
}
