package dev.o2v.inference.internal;

/** Shortens client-supplied text for one-line error messages. */
public final class Shown {

  private static final int MAX_CHARS = 40;

  private Shown() {}

  /** {@code text} without control characters, cut to 40 characters. */
  public static String text(String text) {
    String clean = text.replaceAll("\\p{Cntrl}", "?");
    return clean.length() <= MAX_CHARS ? clean : clean.substring(0, MAX_CHARS) + "...";
  }

  /** A message squeezed onto one line and cut to 200 characters. */
  public static String line(String message) {
    return line(message, 200);
  }

  /** A message squeezed onto one line and cut to {@code maxChars} characters. */
  public static String line(String message, int maxChars) {
    String clean = message.replaceAll("\\s+", " ").trim();
    return clean.length() <= maxChars ? clean : clean.substring(0, maxChars) + "...";
  }
}
