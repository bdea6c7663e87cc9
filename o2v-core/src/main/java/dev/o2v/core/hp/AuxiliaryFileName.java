package dev.o2v.core.hp;

import java.util.regex.Pattern;

/**
 * The rule for file names in the auxiliary directory: letters, digits, {@code .}, {@code _} and
 * {@code -}, not starting with a dot. Such a name can never leave the directory (no separator, no
 * {@code ..}) nor name a hidden file, and it admits what SageMaker users upload, such as {@code
 * glove.840B-trim.txt}.
 */
public final class AuxiliaryFileName {

  /** The characters a file name may contain, as a regular expression. */
  public static final String PATTERN = "[A-Za-z0-9._-]+";

  /** The rule in words, for messages: {@code [A-Za-z0-9._-]+ not starting with a dot}. */
  public static final String RULE = PATTERN + " not starting with a dot";

  private static final Pattern ALLOWED = Pattern.compile(PATTERN);

  private AuxiliaryFileName() {}

  /** Whether {@code name} is a plain file name that the rule admits. */
  public static boolean isValid(String name) {
    return ALLOWED.matcher(name).matches() && !name.startsWith(".");
  }
}
