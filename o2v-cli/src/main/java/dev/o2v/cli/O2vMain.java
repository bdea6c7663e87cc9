package dev.o2v.cli;

import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** The {@code o2v} command: trains, evaluates and serves Object2Vec models. */
@Command(
    name = "o2v",
    mixinStandardHelpOptions = true,
    versionProvider = VersionInfo.class,
    description = "Object2Vec for the JVM: learn embeddings from pairs of token sequences.",
    subcommands = {
      PrepareCommand.class,
      TrainCommand.class,
      PredictCommand.class,
      EmbedCommand.class,
      NeighborsCommand.class,
      EvaluateCommand.class,
      ReportCommand.class,
      ServeCommand.class
    },
    footer = ExitCodes.HELP_FOOTER)
public final class O2vMain implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--verbose",
      scope = ScopeType.INHERIT,
      description = "Debug logging and stack traces on errors.")
  void setVerbose(boolean verbose) {
    Verbosity.set(verbose);
  }

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return ExitCodes.USAGE;
  }

  /** Builds the configured command line (used by {@link #main} and by tests). */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new O2vMain());
    cli.setExecutionExceptionHandler(new ErrorMapper());
    cli.setParameterExceptionHandler(new UsageErrorHandler());
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    return cli;
  }

  /** Entry point of the launcher. */
  public static void main(String[] args) {
    if (System.getProperty("ai.djl.offline") == null) {
      // Natives come from the classpath; never try to download anything at run time.
      System.setProperty("ai.djl.offline", "true");
    }
    PrintStream stdout = StandardOutput.open();
    System.setOut(stdout);
    CommandLine cli = commandLine();
    cli.setOut(new PrintWriter(new OutputStreamWriter(stdout, StandardCharsets.UTF_8)));
    System.exit(execute(cli, args));
  }

  /**
   * Runs the command and flushes standard output; a write that fails at the end (the last
   * buffered results) counts like one that failed earlier.
   */
  static int execute(CommandLine cli, String[] args) {
    int code;
    try {
      code = cli.execute(args);
    } catch (StandardOutput.Failure failure) {
      return ErrorMapper.reportOutputFailure(failure, cli.getErr(), "o2v");
    }
    try {
      cli.getOut().flush();
      System.out.flush();
    } catch (StandardOutput.Failure failure) {
      // A command that failed has reported why; the output it could not write is no news.
      return code != ExitCodes.OK
          ? code
          : ErrorMapper.reportOutputFailure(failure, cli.getErr(), commandName(cli));
    }
    return code;
  }

  /** {@code o2v COMMAND} of the command that ran, for messages after it returned. */
  private static String commandName(CommandLine cli) {
    CommandLine.ParseResult parsed = cli.getParseResult();
    return parsed != null && parsed.subcommand() != null
        ? "o2v " + parsed.subcommand().commandSpec().name()
        : "o2v";
  }
}
