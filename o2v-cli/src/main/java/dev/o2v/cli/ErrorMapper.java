package dev.o2v.cli;

import dev.o2v.core.data.ChannelException;
import dev.o2v.core.data.DataException;
import dev.o2v.core.hp.HyperparameterException;
import dev.o2v.encoders.PretrainedEmbeddingException;
import dev.o2v.train.model.ModelFormatException;
import dev.o2v.train.runtime.DeviceSelector;
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
    String message = messageOf(e);
    if (e instanceof HyperparameterException hp && hp.violations().size() > 1) {
      message = hp.violations().size() + " hyperparameter problems:\n  "
          + String.join("\n  ", hp.violations());
    }
    err.println("o2v " + cmd.getCommandName() + ": " + message);
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
    if (e instanceof HyperparameterException || e instanceof DeviceSelector.NoGpuException) {
      return ExitCodes.USAGE;
    }
    if (e instanceof ChannelException || e instanceof ModelFormatException) {
      return ExitCodes.IO;
    }
    if (e instanceof DataException || e instanceof PretrainedEmbeddingException) {
      return ExitCodes.DATA;
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
