package dev.o2v.cli;

import dev.o2v.inference.InferenceRunner;
import dev.o2v.inference.serve.InferenceServer;
import dev.o2v.inference.serve.RunnerPredictor;
import dev.o2v.inference.serve.ServeOptions;
import dev.o2v.train.model.TrainedModel;
import dev.o2v.train.runtime.DeviceChoice;
import dev.o2v.train.runtime.DeviceSelector;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code o2v serve}: loads a model and answers SageMaker-style inference requests over HTTP until
 * SIGTERM, which drains the requests in flight and ends with exit code 0.
 */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Serve a trained model over HTTP (SageMaker inference contract).",
      "GET /ping answers 200 once the model is loaded; POST /invocations takes application/json"
          + " ({\"instances\": [...]}) or application/jsonlines and answers in the Accept type."
    })
final class ServeCommand implements Callable<Integer> {

  private static final Logger LOG = LoggerFactory.getLogger(ServeCommand.class);

  @Option(names = "--model-dir", paramLabel = "DIR", required = true,
      description = "The model directory written by o2v train.")
  Path modelDir;

  @Option(names = "--host", defaultValue = "127.0.0.1",
      description = "Address to bind (default: ${DEFAULT-VALUE}; 0.0.0.0 for every interface).")
  String host;

  @Option(names = "--port", defaultValue = "8080",
      description = "Port to bind; 0 picks a free one (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--workers", defaultValue = "1",
      description = "Threads running the model (default: ${DEFAULT-VALUE}).")
  int workers;

  @Option(names = "--max-body-bytes", defaultValue = "6291456",
      description = "Larger request bodies get 413 (default: ${DEFAULT-VALUE}).")
  int maxBodyBytes;

  @Option(names = "--queue-capacity", defaultValue = "256",
      description = "Requests that may wait for a worker; more get 503"
          + " (default: ${DEFAULT-VALUE}).")
  int queueCapacity;

  @Option(names = "--max-batch", defaultValue = "512",
      description = "Instances per coalesced model batch (default: ${DEFAULT-VALUE}).")
  int maxBatch;

  @Option(names = "--batch-wait-ms", defaultValue = "0",
      description = "How long a worker waits for more requests to join a batch; 0 takes only what"
          + " is already queued (default: ${DEFAULT-VALUE}).")
  int batchWaitMillis;

  @Option(names = "--drain-seconds", defaultValue = "30",
      description = "On SIGTERM, how long requests in flight may take to finish, at most 3600"
          + " (default: ${DEFAULT-VALUE}).")
  int drainSeconds;

  // Defaults to 1 here: parallelism comes from --workers, and more threads per model call only
  // contend with them on small batches.
  @Mixin EngineThreadsOption threads;

  @Option(names = "--device", paramLabel = "cpu|gpu|auto", defaultValue = "cpu",
      description = "Device to run on (default: ${DEFAULT-VALUE}).")
  String device;

  @Override
  public Integer call() throws Exception {
    ServeOptions options = options();
    DeviceChoice choice = parseDevice();
    threads.apply(OptionalInt.of(1)); // before loading the model starts the engine
    TrainedModel model = TrainedModel.load(modelDir, DeviceSelector.forEngine().select(choice));
    InferenceServer server;
    try {
      server = InferenceServer.start(new RunnerPredictor(new InferenceRunner(model)), options);
    } catch (IOException e) {
      model.close();
      throw new CliException(ExitCodes.IO,
          "cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
    }
    LOG.info("serving {} on {} ({} worker{}, device {})", modelDir, server.uri(), workers,
        workers == 1 ? "" : "s", model.manager().getDevice());
    Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(server, model), "o2v-shutdown"));
    server.join();
    return ExitCodes.OK;
  }

  /** Drains and stops, then ends the JVM with 0: a SIGTERM is the normal way to stop serving. */
  private static void stop(InferenceServer server, TrainedModel model) {
    LOG.info("shutting down: finishing requests in flight");
    try {
      if (server.shutDown()) {
        model.close();
      } else {
        // A worker is still inside the model: freeing its memory now could crash the JVM.
        LOG.warn("a model batch outlived the drain timeout; exiting without freeing the model");
      }
      LOG.info("stopped");
    } catch (RuntimeException e) {
      LOG.error("shutdown failed: {}", e.toString());
      Runtime.getRuntime().halt(ExitCodes.SOFTWARE);
    }
    Runtime.getRuntime().halt(ExitCodes.OK);
  }

  private ServeOptions options() {
    try {
      return new ServeOptions(host, port, workers, maxBodyBytes, queueCapacity, maxBatch,
          Duration.ofMillis(batchWaitMillis), Duration.ofSeconds(drainSeconds));
    } catch (IllegalArgumentException e) {
      throw new CliException(ExitCodes.USAGE, e.getMessage(), e);
    }
  }

  private DeviceChoice parseDevice() {
    try {
      return DeviceChoice.parse(device);
    } catch (IllegalArgumentException e) {
      throw new CliException(ExitCodes.USAGE, e.getMessage(), e);
    }
  }
}
