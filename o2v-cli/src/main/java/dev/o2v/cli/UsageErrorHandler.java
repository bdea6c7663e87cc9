package dev.o2v.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Reports a command-line mistake in one line with a pointer to {@code --help}, instead of the
 * whole usage text that buries the message.
 */
final class UsageErrorHandler implements IParameterExceptionHandler {

  @Override
  public int handleParseException(ParameterException e, String[] args) {
    CommandLine cmd = e.getCommandLine();
    PrintWriter err = cmd.getErr();
    String name = cmd.getCommandSpec().qualifiedName();
    String message = String.valueOf(e.getMessage()).replaceAll("\\s+", " ").strip();
    if (e instanceof UnmatchedArgumentException unmatched
        && !unmatched.getSuggestions().isEmpty()) {
      message += " (did you mean " + unmatched.getSuggestions().get(0) + "?)";
    }
    err.println(name + ": " + message + "; '" + name + " --help' lists the options");
    if (Verbosity.isVerbose()) {
      e.printStackTrace(err);
    }
    err.flush();
    return ExitCodes.USAGE;
  }
}
