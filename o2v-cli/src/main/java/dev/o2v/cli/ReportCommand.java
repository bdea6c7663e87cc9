package dev.o2v.cli;

import dev.o2v.cli.report.TrainingReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code o2v report}: writes the training report of a model directory. */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description = "Write MODEL_DIR/report.html: curves, data, network, hyperparameters and test"
        + " metrics of a training run, in one file that opens offline.")
final class ReportCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--model-dir",
      paramLabel = "DIR",
      required = true,
      description = "The trained model's directory.")
  Path modelDir;

  @Override
  public Integer call() throws IOException {
    Path file = TrainingReport.write(modelDir);
    PrintWriter out = spec.commandLine().getOut();
    out.println(file);
    out.flush();
    return ExitCodes.OK;
  }
}
