package dev.o2v.cli;

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
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    return cli;
  }

  /** Entry point of the launcher. */
  public static void main(String[] args) {
    if (System.getProperty("ai.djl.offline") == null) {
      // Natives come from the classpath; never try to download anything at run time.
      System.setProperty("ai.djl.offline", "true");
    }
    System.exit(commandLine().execute(args));
  }
}
