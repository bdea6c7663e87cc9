package dev.o2v.inference.internal;

import dev.o2v.core.io.JsonProblems;

/** Shortens client-supplied text for one-line error messages. */
public final class Shown {

  private Shown() {}

  /** {@code text} without control characters, cut to 40 characters. */
  public static String text(String text) {
    return JsonProblems.shown(text);
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
