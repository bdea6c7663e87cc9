package dev.o2v.cli;

import dev.o2v.core.data.ChannelException;
import dev.o2v.core.data.DataException;
import dev.o2v.core.hp.HyperparameterException;
import dev.o2v.core.io.IoReasons;
import dev.o2v.encoders.PretrainedEmbeddingException;
import dev.o2v.train.model.ModelFormatException;
import dev.o2v.train.runtime.DeviceSelector;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
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
    String prefix = "o2v " + cmd.getCommandName();
    StandardOutput.Failure output = outputFailureIn(e);
    if (output != null) {
      int code = reportOutputFailure(output, err, prefix);
      if (Verbosity.isVerbose() && code == ExitCodes.IO) {
        e.printStackTrace(err);
        err.flush();
      }
      return code;
    }
    int code = exitCodeOf(e);
    String message = oneLine(messageOf(e));
    if (e instanceof HyperparameterException hp && hp.violations().size() > 1) {
      message = hp.violations().size() + " hyperparameter problems:\n  "
          + String.join("\n  ", hp.violations());
    }
    if (code == ExitCodes.SOFTWARE && !Verbosity.isVerbose()) {
      message += " (internal error; --verbose shows the stack trace)";
    }
    err.println(prefix + ": " + message);
    if (Verbosity.isVerbose()) {
      e.printStackTrace(err);
    }
    err.flush();
    return code;
  }

  /**
   * Reports a failure of standard output: nothing at all when the reader of a pipe closed it
   * (the process ends with the SIGPIPE status, as other command-line tools do), else one line and
   * the I/O exit code.
   */
  static int reportOutputFailure(StandardOutput.Failure failure, PrintWriter err, String prefix) {
    if (failure.closedPipe()) {
      return StandardOutput.CLOSED_PIPE_EXIT;
    }
    err.println(prefix + ": " + failure.describe());
    err.flush();
    return ExitCodes.IO;
  }

  /** The standard output failure that caused {@code e}, or null. */
  private static StandardOutput.Failure outputFailureIn(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof StandardOutput.Failure failure) {
        return failure;
      }
    }
    return null;
  }

  /** The first line of {@code message}: a parser's message may carry a source excerpt below. */
  private static String oneLine(String message) {
    int newline = message.indexOf('\n');
    return (newline < 0 ? message : message.substring(0, newline)).strip();
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
    if (e instanceof FileSystemException fs && fs.getFile() != null) {
      return String.format(Locale.ROOT, "I/O error: %s: %s", fs.getFile(), IoReasons.of(fs));
    }
    if (e instanceof IOException io) {
      return String.format(Locale.ROOT, "I/O error: %s", IoReasons.of(io));
    }
    if (e instanceof UncheckedIOException unchecked) {
      return messageOf(unchecked.getCause());
    }
    return message;
  }
}
