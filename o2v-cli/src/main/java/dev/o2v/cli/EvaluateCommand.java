package dev.o2v.cli;

import dev.o2v.core.data.Channel;
import dev.o2v.core.data.DataSchema;
import dev.o2v.core.data.JsonlRecordReader;
import dev.o2v.core.data.PairDataset;
import dev.o2v.core.hp.OutputLayer;
import dev.o2v.train.EvaluationResult;
import dev.o2v.train.Evaluator;
import dev.o2v.train.metrics.MetricLines;
import dev.o2v.train.model.TrainedModel;
import dev.o2v.train.runtime.DeviceChoice;
import dev.o2v.train.runtime.DeviceSelector;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code o2v evaluate}: the metrics of a trained model on a labelled JSON Lines channel. */
@Command(
    name = "evaluate",
    mixinStandardHelpOptions = true,
    description = {
      "Print the metrics of a trained model on a labelled JSON Lines file; on the test channel"
          + " (the default name), its #test_score lines first, as training prints them.",
      "With --retrieval: rank a corpus for each query (exact cosine of the two encoders'"
          + " embeddings) and print hits@k, mean rank and MRR."
    })
final class EvaluateCommand implements Callable<Integer> {

  /** The channel whose scores training prints as {@code #test_score} lines too. */
  private static final String TEST_CHANNEL = "test";

  @Spec CommandSpec spec;

  @Option(names = "--model-dir", required = true, paramLabel = "DIR", description = "The model.")
  Path modelDir;

  @Option(
      names = "--data",
      paramLabel = "PATH",
      description = "Labelled records: a .jsonl file or a directory of them (with --retrieval:"
          + " pairs whose in1 is the true match of their in0).")
  Path data;

  @Option(
      names = "--channel-name",
      defaultValue = TEST_CHANNEL,
      description = "Channel name in the metric lines (default: ${DEFAULT-VALUE}).")
  String channelName;

  @Option(
      names = "--device",
      paramLabel = "cpu|gpu|auto",
      defaultValue = "cpu",
      description = "Device to run on (default: ${DEFAULT-VALUE}).")
  String device;

  @Mixin EngineThreadsOption threads;

  @Mixin RetrievalOptions retrieval;

  @Override
  public Integer call() throws IOException {
    if (retrieval.enabled) {
      RetrievalEvaluation.check(retrieval, data);
    } else if (data == null) {
      throw new CliException(ExitCodes.USAGE, "Missing required option: '--data=PATH'");
    }
    threads.apply(); // before choosing the device starts the engine
    try (TrainedModel model =
        TrainedModel.load(modelDir, DeviceSelector.forEngine().select(DeviceChoice.parse(device)))) {
      if (retrieval.enabled) {
        int rankThreads = threads.threads != null
            ? threads.threads : Runtime.getRuntime().availableProcessors();
        new RetrievalEvaluation(retrieval, channelName, rankThreads)
            .run(model, data, System.out);
        return ExitCodes.OK;
      }
      // The model's own meaning of id 0: a format-1 model reads it as an ordinary token.
      JsonlRecordReader reader =
          new JsonlRecordReader(
              DataSchema.forTraining(model.hyperparameters()).withZeroIds(model.zeroIds()));
      PairDataset records = reader.load(Channel.of(data));
      ChannelCounts.report(channelName, data, records);
      UsableRecords.require(channelName + " channel", data, records);
      EvaluationResult result =
          new Evaluator(model.block(), model.hyperparameters().miniBatchSize())
              .evaluate(records, model.manager());
      OutputLayer output = model.hyperparameters().outputLayer();
      MetricLines lines = new MetricLines(spec.commandLine().getOut());
      if (channelName.equals(TEST_CHANNEL)) {
        lines.test(result.scores(output), result.metrics(output));
      } else {
        lines.fin(channelName, result.metrics(output));
      }
      return ExitCodes.OK;
    }
  }
}
