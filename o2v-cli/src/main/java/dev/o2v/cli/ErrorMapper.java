package dev.o2v.cli;

import dev.o2v.core.hp.HyperparameterException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Turns an exception escaping a command into a one-line message and a documented exit code.
 *
 * <p>Users see {@code o2v: <message>}; the stack trace is printed only with {@code --verbose}.
 */
final class ErrorMapper implements IExecutionExceptionHandler {

  @Override
  public int handleExecutionException(Exception e, CommandLine cmd, ParseResult parseResult) {
    PrintWriter err = cmd.getErr();
    int code = exitCodeOf(e);
    err.println("o2v " + cmd.getCommandName() + ": " + messageOf(e));
    if (Verbosity.isVerbose()) {
      e.printStackTrace(err);
    } else if (code == ExitCodes.SOFTWARE) {
      err.println("(internal error: run again with --verbose for the stack trace)");
    }
    err.flush();
    return code;
  }

  /** The exit code for an exception type, by the table in {@link ExitCodes}. */
  static int exitCodeOf(Throwable e) {
    if (e instanceof CliException cli) {
      return cli.exitCode();
    }
    if (e instanceof HyperparameterException) {
      return ExitCodes.USAGE;
    }
    if (e instanceof IOException || e instanceof UncheckedIOException) {
      return ExitCodes.IO;
    }
    return ExitCodes.SOFTWARE;
  }

  private static String messageOf(Throwable e) {
    String message = e.getMessage();
    if (message == null || message.isBlank()) {
      return e.getClass().getSimpleName();
    }
    if (e instanceof IOException) {
      return String.format(Locale.ROOT, "I/O error: %s", message);
    }
    return message;
  }
}
