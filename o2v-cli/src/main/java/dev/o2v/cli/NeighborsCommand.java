package dev.o2v.cli;

import dev.o2v.train.inference.InferenceRunner;
import dev.o2v.train.inference.NeighborSearch;
import dev.o2v.train.model.TrainedModel;
import dev.o2v.train.runtime.DeviceChoice;
import dev.o2v.train.runtime.DeviceSelector;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code o2v neighbors}: the most similar vocabulary ids of given ids, by embedding cosine. */
@Command(
    name = "neighbors",
    mixinStandardHelpOptions = true,
    description = {
      "Exact cosine nearest neighbours among the single-token embeddings of one side's"
          + " vocabulary (e.g. movies like this one).",
      "Prints one line per query: {\"query\":5,\"neighbors\":[{\"id\":9,\"cosine\":0.93},...]}."
    })
final class NeighborsCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--model-dir", paramLabel = "DIR", required = true,
      description = "A model directory written by o2v train.")
  Path modelDir;

  @Option(names = "--side", paramLabel = "in0|in1", required = true,
      description = "The vocabulary to search.")
  String side;

  @Option(names = "--query-ids", paramLabel = "ID[,ID...]", required = true, split = ",",
      description = "Ids whose neighbours to find.")
  int[] queryIds;

  @Option(names = "-k", paramLabel = "K", defaultValue = "10",
      description = "Neighbours per query (default: ${DEFAULT-VALUE}).")
  int k;

  @Option(names = "--batch-size", paramLabel = "N", defaultValue = "4096",
      description = "Ids embedded per batch (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(names = "--device", paramLabel = "cpu|gpu|auto", defaultValue = "cpu",
      description = "Device to run on (default: ${DEFAULT-VALUE}).")
  String device;

  @Mixin EngineThreadsOption threads;

  @Override
  public Integer call() throws IOException {
    int sideIndex = parseSide();
    OptionBounds.check("-k", k, 1, OptionBounds.MAX_NEIGHBORS);
    OptionBounds.check("--batch-size", batchSize, 1, OptionBounds.MAX_BATCH_SIZE);
    threads.apply(); // before choosing the device starts the engine
    DeviceChoice choice;
    try {
      choice = DeviceChoice.parse(device);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    try (TrainedModel model =
        TrainedModel.load(modelDir, DeviceSelector.forEngine().select(choice))) {
      InferenceRunner runner = new InferenceRunner(model, Math.min(batchSize, 1024));
      List<NeighborSearch.Result> results;
      try {
        results = new NeighborSearch(runner, sideIndex, batchSize).search(queryIds, k);
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), "--query-ids: " + e.getMessage());
      }
      PrintWriter out = spec.commandLine().getOut();
      for (NeighborSearch.Result result : results) {
        out.println(result.toJson());
      }
      out.flush();
    }
    return ExitCodes.OK;
  }

  private int parseSide() {
    return switch (side.trim().toLowerCase(Locale.ROOT)) {
      case "in0" -> 0;
      case "in1" -> 1;
      default -> throw new ParameterException(spec.commandLine(),
          "--side must be in0 or in1, found '" + side + "'");
    };
  }
}
