package dev.o2v.core.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.regex.Pattern;

/**
 * Jackson's parse errors in the user's terms: the reason without the parser's feature flags,
 * constraint getters or redacted source descriptions, on one line.
 */
public final class JsonProblems {

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
}
