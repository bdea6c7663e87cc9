package dev.o2v.cli;

/** The process exit codes of {@code o2v}, chosen after BSD's sysexits. */
public final class ExitCodes {
  /** Success. */
  public static final int OK = 0;
  /** Bad command line or invalid hyperparameters. */
  public static final int USAGE = 2;
  /** Bad input data (a record that fails validation). */
  public static final int DATA = 65;
  /** Internal error, or a command not implemented yet. */
  public static final int SOFTWARE = 70;
  /** File or network I/O error. */
  public static final int IO = 74;

  /** The block printed at the end of {@code o2v --help}. */
  static final String HELP_FOOTER =
      "%nExit codes:%n"
          + "  0   success%n"
          + "  2   usage or hyperparameter error%n"
          + "  65  bad input data (FILE:LINE: reason)%n"
          + "  70  internal error%n"
          + "  74  I/O error%n"
          + "Add --verbose to any command to see stack traces and debug logs.";

  private ExitCodes() {}
}
