package dev.o2v.core.io;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.regex.Pattern;

/**
 * Jackson's parse errors in the user's terms: the reason without the parser's feature flags,
 * constraint getters or redacted source descriptions, on one line.
 */
public final class JsonProblems {

  private static final int MAX_SHOWN_CHARS = 40;

  private static final Pattern REDACTED_SOURCE = Pattern.compile("\\[Source: .*?; line: ");
  private static final Pattern ENABLE_FEATURE =
      Pattern.compile("[:;,]?\\s*enable `[^`]*` to allow");
  private static final Pattern FROM_CONSTRAINT = Pattern.compile(",\\s*from `[^`]*`");
  private static final Pattern FEATURE_NOT_ENABLED = Pattern.compile(
      "\\s*\\(not recognized as one since Feature '[^']*' not enabled for parser\\)");
  private static final Pattern ANY_CODE_NAME = Pattern.compile("\\s*\\(?`[^`]*`\\)?");

  private JsonProblems() {}

  /** The reason of {@code e} without location, in plain words. */
  public static String reason(JsonProcessingException e) {
    return plain(e.getOriginalMessage());
  }

  /** {@code message} with Jackson's internal names removed and white space collapsed. */
  public static String plain(String message) {
    if (message == null || message.isBlank()) {
      return "invalid JSON";
    }
    String text = message.replaceAll("\\s+", " ");
    text = REDACTED_SOURCE.matcher(text).replaceAll("[line: ");
    text = ENABLE_FEATURE.matcher(text).replaceAll("");
    text = FROM_CONSTRAINT.matcher(text).replaceAll("");
    text = FEATURE_NOT_ENABLED.matcher(text).replaceAll("");
    text = ANY_CODE_NAME.matcher(text).replaceAll("");
    return text.strip();
  }

  /**
   * A short description of the token {@code t} the parser {@code p} stands on, for messages
   * such as {@code found string "x"}; {@code endOfInput} describes the end of the input.
   */
  public static String describe(JsonParser p, JsonToken t, String endOfInput) throws IOException {
    if (t == null) {
      return endOfInput;
    }
    switch (t) {
      case START_OBJECT:
        return "an object";
      case START_ARRAY:
        return "an array";
      case VALUE_STRING:
        return "string \"" + shown(p.getText()) + "\"";
      case VALUE_NULL:
        return "null";
      case VALUE_TRUE:
      case VALUE_FALSE:
      case VALUE_NUMBER_INT:
      case VALUE_NUMBER_FLOAT:
        return shown(p.getText());
      default:
        return t.asString() == null ? t.name() : t.asString();
    }
  }

  /** Input text for a one-line message: control characters replaced, cut to 40 characters. */
  public static String shown(String text) {
    String clean = text.replaceAll("\\p{Cntrl}", "?");
    return clean.length() <= MAX_SHOWN_CHARS ? clean : clean.substring(0, MAX_SHOWN_CHARS) + "...";
  }
}
