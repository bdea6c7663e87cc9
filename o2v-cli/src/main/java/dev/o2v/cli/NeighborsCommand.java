package dev.o2v.cli;

import dev.o2v.inference.InferenceRunner;
import dev.o2v.inference.NeighborSearch;
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
      "Cosine nearest neighbours among the single-token embeddings of one side's vocabulary"
          + " (e.g. movies like this one), among the embedded records of --data, or among the"
          + " rows of an --embeddings .npy file (exact up to --exact-limit rows, beyond it an"
          + " HNSW index saved beside the file).",
      "Prints one line per query: {\"query\":5,\"neighbors\":[{\"id\":9,\"cosine\":0.93},...]}."
    })
final class NeighborsCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--model-dir", paramLabel = "DIR",
      description = "A model directory written by o2v train (not needed with --embeddings).")
  Path modelDir;

  @Option(names = "--side", paramLabel = "in0|in1",
      description = "The vocabulary to search, or the side of --data to embed.")
  String side;

  @Option(names = "--query-ids", paramLabel = "ID[,ID...]", split = ",",
      description = "Items whose neighbours to find: token ids (vocabulary), or item ids"
          + " (--data lines' id field, --ids lines; else 0-based row numbers).")
  String[] queryIds;

  @Option(names = "--all",
      description = "With --data or --embeddings: the neighbours of every item, in order.")
  boolean all;

  @Option(names = "--data", paramLabel = "PATH",
      description = "Search the records of this JSON Lines file, embedded by --side's encoder.")
  Path data;

  @Option(names = "--embeddings", paramLabel = "FILE.npy",
      description = "Search the rows of a float32 [N, width] .npy file (embed --format npy).")
  Path embeddings;

  @Option(names = "--ids", paramLabel = "FILE",
      description = "With --embeddings: one id per line for the rows (default: row numbers).")
  Path ids;

  @Option(names = "--index", paramLabel = "auto|exact|hnsw", defaultValue = "auto",
      description = "auto: exact search up to --exact-limit items, an HNSW index beyond"
          + " (--embeddings only; kept in FILE.npy.hnsw/ and reused while the file is"
          + " unchanged). Default: ${DEFAULT-VALUE}.")
  String index;

  @Option(names = "--exact-limit", paramLabel = "N", defaultValue = "200000",
      description = "Largest item count searched exactly by --index auto"
          + " (default: ${DEFAULT-VALUE}).")
  int exactLimit;

  @Option(names = "--candidates", paramLabel = "N", defaultValue = "100",
      description = "HNSW: candidates kept per search, at least -k; more is slower and finds"
          + " more true neighbours (default: ${DEFAULT-VALUE}).")
  int candidates;

  @Option(names = "--max-conn", paramLabel = "M", defaultValue = "16", hidden = true,
      description = "HNSW: graph neighbours per node when building (default: ${DEFAULT-VALUE}).")
  int maxConn;

  @Option(names = "--beam-width", paramLabel = "N", defaultValue = "100", hidden = true,
      description = "HNSW: candidates per insertion when building (default: ${DEFAULT-VALUE}).")
  int beamWidth;

  @Option(names = "--rebuild-index", description = "HNSW: rebuild the index even if it exists.")
  boolean rebuildIndex;

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
    if (data != null || embeddings != null) {
      return searchItems();
    }
    requireForVocabulary(modelDir, "--model-dir");
    requireForVocabulary(side, "--side");
    requireForVocabulary(queryIds, "--query-ids");
    int[] tokenIds = new int[queryIds.length];
    for (int i = 0; i < queryIds.length; i++) {
      try {
        tokenIds[i] = Integer.parseInt(queryIds[i].strip());
      } catch (NumberFormatException e) {
        throw new ParameterException(spec.commandLine(),
            "--query-ids: '" + queryIds[i] + "' is not a token id");
      }
    }
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
        results = new NeighborSearch(runner, sideIndex, batchSize).search(tokenIds, k);
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

  private void requireForVocabulary(Object value, String option) {
    if (value == null) {
      throw new ParameterException(spec.commandLine(), "Missing required option: '" + option
          + "' (or give --data or --embeddings to search other items)");
    }
  }

  /** Neighbours among the records of --data or the rows of --embeddings. */
  private int searchItems() throws IOException {
    if (data != null && embeddings != null) {
      throw new ParameterException(spec.commandLine(), "give --data or --embeddings, not both");
    }
    if (all == (queryIds != null)) {
      throw new ParameterException(spec.commandLine(), "give --query-ids or --all");
    }
    if (k < 1 || candidates < 1 || exactLimit < 0 || maxConn < 2 || beamWidth < 1) {
      throw new ParameterException(spec.commandLine(), "-k and --candidates must be >= 1 and"
          + " --exact-limit >= 0, found " + k + ", " + candidates + " and " + exactLimit);
    }
    if (data != null) {
      requireForVocabulary(modelDir, "--model-dir");
      if (side == null) {
        throw new ParameterException(spec.commandLine(), "--data needs --side in0|in1");
      }
      parseSide();
    } else if (ids != null && !java.nio.file.Files.isRegularFile(ids)) {
      throw new CliException(ExitCodes.IO, "--ids " + ids + " is not a readable file");
    }
    int searchThreads =
        threads.threads != null ? threads.threads : Runtime.getRuntime().availableProcessors();
    threads.apply(); // before loading a model starts the engine
    TrainedModel[] loaded = new TrainedModel[1];
    try {
      return new ItemNeighbors(this, searchThreads).run(() -> {
        try {
          loaded[0] = TrainedModel.load(modelDir,
              DeviceSelector.forEngine().select(DeviceChoice.parse(device)));
          return loaded[0];
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }, spec.commandLine().getOut());
    } finally {
      if (loaded[0] != null) {
        loaded[0].close();
      }
    }
  }

  /** The side as 0 or 1. */
  int sideIndex() {
    return parseSide();
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
