package dev.o2v.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Base for commands that are listed in the help but not available yet. */
abstract class NotImplementedCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine()
        .getErr()
        .println("o2v " + spec.name() + ": not implemented yet in o2v " + VersionInfo.o2vVersion());
    return ExitCodes.SOFTWARE;
  }
}
