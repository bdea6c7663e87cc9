package dev.o2v.core.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Reads a whole small text file with a size limit, so that an endless input ({@code /dev/zero})
 * or a huge sparse file fails with a message instead of exhausting memory.
 *
 * <p>The text must be UTF-8; a leading byte order mark is dropped, as data files allow one.
 */
public final class BoundedText {

  private static final char BYTE_ORDER_MARK = '\uFEFF';

  private BoundedText() {}

  /**
   * The UTF-8 text of {@code file}.
   *
   * @throws InputTooLargeException when the file holds more than {@code maxBytes} bytes
   * @throws CharacterCodingException (a {@link InvalidUtf8Exception}) for bytes that are not UTF-8
   * @throws IOException when the file cannot be read
   */
  public static String readUtf8(Path file, long maxBytes) throws IOException {
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file)) {
      bytes = readAtMost(in, maxBytes);
    }
    return decode(bytes);
  }

  /** The UTF-8 text of {@code bytes} without a leading byte order mark. */
  public static String decode(byte[] bytes) throws InvalidUtf8Exception {
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    String text;
    try {
      text = decoder.decode(in).toString();
    } catch (CharacterCodingException e) {
      throw new InvalidUtf8Exception(in.position());
    }
    return !text.isEmpty() && text.charAt(0) == BYTE_ORDER_MARK ? text.substring(1) : text;
  }

  private static byte[] readAtMost(InputStream in, long maxBytes) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] chunk = new byte[1 << 16];
    long total = 0;
    for (int n = in.read(chunk); n >= 0; n = in.read(chunk)) {
      total += n;
      if (total > maxBytes) {
        throw new InputTooLargeException(maxBytes);
      }
      out.write(chunk, 0, n);
    }
    return out.toByteArray();
  }

  /** A size in the largest binary unit that divides it ({@code 1 MiB}, {@code 64 KiB}). */
  public static String formatSize(long bytes) {
    String[] units = {"bytes", "KiB", "MiB", "GiB"};
    long value = bytes;
    int unit = 0;
    while (unit < units.length - 1 && value >= 1024 && value % 1024 == 0) {
      value /= 1024;
      unit++;
    }
    return String.format(Locale.ROOT, "%d %s", value, units[unit]);
  }

  /** A file longer than the limit its reader accepts; the message says so in plain words. */
  public static final class InputTooLargeException extends IOException {
    private static final long serialVersionUID = 1L;

    InputTooLargeException(long limit) {
      super("larger than " + formatSize(limit) + ", the limit for this file");
    }
  }

  /** Bytes that are not UTF-8; the message gives the offset of the first bad byte. */
  public static final class InvalidUtf8Exception extends CharacterCodingException {
    private static final long serialVersionUID = 1L;
    private final long offset;

    InvalidUtf8Exception(long offset) {
      this.offset = offset;
    }

    @Override
    public String getMessage() {
      return "not valid UTF-8 text (at byte " + offset + ")";
    }
  }
}
