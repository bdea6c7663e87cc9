package dev.o2v.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code o2v train}: validates the inputs and trains a model into a model directory. */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description = "Train an Object2Vec model on JSON Lines pair data.")
final class TrainCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--hp", paramLabel = "FILE", description = "Hyperparameters (JSON object).")
  Path hpFile;

  @Option(
      names = "--data",
      paramLabel = "PATH",
      description = "Training channel: a .jsonl file or a directory of them.")
  Path trainData;

  @Option(names = "--validation", paramLabel = "PATH", description = "Validation channel.")
  Path validationData;

  @Option(names = "--test", paramLabel = "PATH", description = "Test channel.")
  Path testData;

  @Option(
      names = "--aux",
      paramLabel = "DIR",
      description = "Auxiliary channel: vocabulary and pretrained embedding files.")
  Path auxDir;

  @Option(
      names = "--model-dir",
      paramLabel = "DIR",
      defaultValue = "model",
      description = "Where the model is written (default: ${DEFAULT-VALUE}).")
  Path modelDir;

  @Option(
      names = "--device",
      paramLabel = "cpu|gpu|auto",
      defaultValue = "cpu",
      description = "Device to train on (default: ${DEFAULT-VALUE}).")
  String device;

  @Option(names = "--seed", defaultValue = "42", description = "Random seed (default: 42).")
  long seed;

  @Option(
      names = "--set",
      paramLabel = "KEY=VALUE",
      description = "Override a hyperparameter of the --hp file (repeatable).")
  Map<String, String> overrides = new LinkedHashMap<>();

  @Option(names = "--resume", description = "Continue from the last complete checkpoint.")
  boolean resume;

  @Option(names = "--dry-run", description = "Validate hyperparameters and data, print a summary.")
  boolean dryRun;

  @Option(names = "--help-hp", description = "Print the table of every hyperparameter and exit.")
  boolean helpHp;

  @Override
  public Integer call() {
    spec.commandLine().getErr().println("o2v train: not implemented yet");
    return ExitCodes.SOFTWARE;
  }
}
