package dev.o2v.cli;

import dev.o2v.cli.report.TrainingReport;
import dev.o2v.core.data.Channel;
import dev.o2v.core.data.DataSchema;
import dev.o2v.core.data.DatasetSummary;
import dev.o2v.core.data.JsonlRecordReader;
import dev.o2v.core.data.PairDataset;
import dev.o2v.core.hp.HyperparameterCodec;
import dev.o2v.core.hp.HyperparameterHelp;
import dev.o2v.core.hp.Hyperparameters;
import dev.o2v.inference.text.TextEncoder;
import dev.o2v.train.AuxiliaryFiles;
import dev.o2v.train.Trainer;
import dev.o2v.train.TrainingData;
import dev.o2v.train.TrainingOptions;
import dev.o2v.train.metrics.MetricLines;
import dev.o2v.train.model.ModelDirectoryContents;
import dev.o2v.train.model.ModelDirectoryLock;
import dev.o2v.train.progress.LogProgress;
import dev.o2v.train.progress.ProgressListener;
import dev.o2v.train.progress.TerminalProgressBar;
import dev.o2v.train.runtime.DeviceChoice;
import dev.o2v.train.runtime.DeviceSelector;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code o2v train}: validates the inputs and trains a model into a model directory. */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description = "Train an Object2Vec model on JSON Lines pair data.")
final class TrainCommand implements Callable<Integer> {

  private static final Logger LOG = LoggerFactory.getLogger(TrainCommand.class);

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

  @Mixin EngineThreadsOption threads;

  @Option(names = "--seed", defaultValue = "42", description = "Random seed (default: 42).")
  long seed;

  @Option(
      names = "--set",
      paramLabel = "KEY=VALUE",
      description = "Override a hyperparameter of the --hp file (repeatable).")
  Map<String, String> overrides = new LinkedHashMap<>();

  @Option(names = "--resume", description = "Continue from the last complete checkpoint.")
  boolean resume;

  @Option(
      names = "--overwrite",
      description = "Replace the o2v model (or unfinished run) already in --model-dir.")
  boolean overwrite;

  @Option(names = "--dry-run", description = "Validate hyperparameters and data, print a summary.")
  boolean dryRun;

  @Option(names = "--no-report", description = "Do not write MODEL_DIR/report.html.")
  boolean noReport;

  @Option(names = "--help-hp", description = "Print the table of every hyperparameter and exit.")
  boolean helpHp;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    if (helpHp) {
      out.print(HyperparameterHelp.renderTable());
      out.flush();
      return ExitCodes.OK;
    }
    threads.apply(); // before choosing the device starts the engine
    requireOption(hpFile, "--hp");
    requireOption(trainData, "--data");
    Hyperparameters hp = HyperparameterCodec.parseFile(hpFile, overrides);
    if (auxDir != null && !Files.isDirectory(auxDir)) {
      throw new CliException(ExitCodes.IO, "--aux " + auxDir + ": not a directory");
    }
    TrainingData data = load(hp);
    if (auxDir != null) {
      TextEncoder.forAuxDirectory(auxDir, hp).ifPresent(TextEncoder::close);
    }
    ModelDirectoryPolicy policy = new ModelDirectoryPolicy(modelDir, resume, overwrite);
    ModelDirectoryContents found = ModelDirectoryContents.inspect(modelDir);
    if (dryRun) {
      policy.check(found, hp, seed);
      // Training reads these first too; the dry run fails wherever training would.
      List<String> aux = AuxiliaryFiles.check(hp, Optional.ofNullable(auxDir), LOG::warn);
      printSummary(out, hp, data, aux);
      return ExitCodes.OK;
    }
    // Nothing is created in a directory of foreign files, not even the lock file.
    policy.refuseForeign(found);
    try (ModelDirectoryLock lock = policy.lock()) {
      // Checked under the lock: another run may have been writing it until now.
      ModelDirectoryContents before = ModelDirectoryContents.inspect(modelDir);
      policy.check(before, hp, seed);
      TrainingOptions options =
          new TrainingOptions(
              modelDir,
              Optional.ofNullable(auxDir),
              DeviceSelector.forEngine().select(DeviceChoice.parse(device)),
              seed,
              resume);
      LOG.info("hyperparameters: {}", hp.toCanonicalMap());
      new Trainer(hp, data, options, new MetricLines(out), progress()).run();
      policy.removeFilesOfTheReplacedModel(before);
      if (noReport) {
        TrainingReport.removeStale(modelDir);
      } else {
        TrainingReport.writeAfterTraining(modelDir);
      }
    }
    return ExitCodes.OK;
  }

  private void requireOption(Object value, String name) {
    if (value == null) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(), "Missing required option: '" + name + "'");
    }
  }

  private TrainingData load(Hyperparameters hp) {
    JsonlRecordReader reader = new JsonlRecordReader(DataSchema.forTraining(hp));
    PairDataset train = loadChannel(reader, "train", trainData);
    Optional<PairDataset> validation =
        Optional.ofNullable(validationData).map(p -> loadChannel(reader, "validation", p));
    Optional<PairDataset> test =
        Optional.ofNullable(testData).map(p -> loadChannel(reader, "test", p));
    return new TrainingData(train, validation, test);
  }

  private static PairDataset loadChannel(JsonlRecordReader reader, String name, Path path) {
    long start = System.nanoTime();
    PairDataset data = reader.load(Channel.of(path));
    LOG.info(
        "{} channel {}: {} records in {} ms",
        name,
        path,
        data.size(),
        (System.nanoTime() - start) / 1_000_000);
    // Discards first: a channel emptied by them says so, rather than only that it is empty.
    ChannelCounts.report(name, path, data);
    return UsableRecords.require(name + " channel", path, data);
  }

  private static void printSummary(
      PrintWriter out, Hyperparameters hp, TrainingData data, List<String> aux) {
    out.println("train: " + DatasetSummary.of(data.train()).format());
    data.validation().ifPresent(v -> out.println("validation: " + DatasetSummary.of(v).format()));
    data.test().ifPresent(t -> out.println("test: " + DatasetSummary.of(t).format()));
    aux.forEach(line -> out.println("auxiliary: " + line));
    out.println("hyperparameters (resolved):");
    hp.toCanonicalMap().forEach((key, value) -> out.println("  " + key + " = " + value));
    out.println("dry run: hyperparameters, data and auxiliary files are valid; nothing was"
        + " trained");
    out.flush();
  }

  private static ProgressListener progress() {
    return System.console() != null
        ? new TerminalProgressBar(System.err, System::nanoTime)
        : new LogProgress(System::nanoTime, 10);
  }
}
