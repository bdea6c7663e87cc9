package dev.o2v.cli;

import dev.o2v.core.data.Channel;
import dev.o2v.inference.BatchInferenceJob;
import dev.o2v.inference.BatchInput;
import dev.o2v.inference.InferenceFormat;
import dev.o2v.inference.InferenceProgress;
import dev.o2v.inference.InferenceRequestException;
import dev.o2v.inference.InferenceRunner;
import dev.o2v.inference.LineRequests;
import dev.o2v.inference.TruncationLengths;
import dev.o2v.train.model.TrainedModel;
import dev.o2v.train.runtime.DeviceChoice;
import dev.o2v.train.runtime.DeviceSelector;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** The options {@code predict} and {@code embed} share, and the run they both end in. */
final class InferenceOptions {

  private static final Logger LOG = LoggerFactory.getLogger(InferenceOptions.class);

  @Option(names = "--model-dir", paramLabel = "DIR", required = true,
      description = "A model directory written by o2v train.")
  Path modelDir;

  @Option(names = "--data", paramLabel = "PATH",
      description = "Input: a .jsonl file or a directory of them.")
  Path data;

  @Option(names = "--out", paramLabel = "FILE",
      description = "Output file (written under a temporary name, renamed when complete);"
          + " default: standard output.")
  Path out;

  @Option(names = "--batch-size", paramLabel = "N", defaultValue = "1024",
      description = "Input lines per batch, 1.." + OptionBounds.MAX_BATCH_SIZE
          + " (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(names = "--workers", paramLabel = "N", defaultValue = "2",
      description = "Threads running the model concurrently, 1.." + OptionBounds.MAX_WORKERS
          + " (default: ${DEFAULT-VALUE}; with"
          + " one, the engine's threads idle while the next batch is parsed).")
  int workers;

  @Option(names = "--infer-max-seqlens", paramLabel = "A,B",
      description = "Keep at most A ids of in0 and B of in1 (each 1..5000; default: the model's"
          + " max_seq_len).")
  String inferMaxSeqlens;

  @Option(names = "--device", paramLabel = "cpu|gpu|auto", defaultValue = "cpu",
      description = "Device to run on (default: ${DEFAULT-VALUE}).")
  String device;

  @Mixin EngineThreadsOption threads;

  /** Loads the model and runs the job on --data into --out or standard output. */
  int run(CommandSpec spec, String label, LineRequests requests, InferenceFormat format)
      throws IOException {
    if (data == null) {
      throw new ParameterException(spec.commandLine(), "Missing required option: '--data'");
    }
    return run(spec, label, requests, format, null);
  }

  /**
   * As {@link #run(CommandSpec, String, LineRequests, InferenceFormat)}, on {@code input}, or on
   * --data when it is null (opened only after every option has been checked).
   */
  int run(
      CommandSpec spec, String label, LineRequests requests, InferenceFormat format,
      BatchInput input) throws IOException {
    OptionBounds.check("--batch-size", batchSize, 1, OptionBounds.MAX_BATCH_SIZE);
    OptionBounds.check("--workers", workers, 1, OptionBounds.MAX_WORKERS);
    if (format == InferenceFormat.NPY && out == null) {
      throw new ParameterException(spec.commandLine(), "--format npy needs --out FILE");
    }
    if (out != null && Files.isDirectory(out)) {
      throw new ParameterException(spec.commandLine(), "--out " + out + " is a directory");
    }
    TruncationLengths lengths = parseLengths(spec);
    threads.apply(); // before loading the model starts the engine
    try (TrainedModel model =
        TrainedModel.load(modelDir, DeviceSelector.forEngine().select(parseDevice(spec)))) {
      InferenceRunner runner = new InferenceRunner(model, Math.min(batchSize, 256));
      BatchInferenceJob job =
          new BatchInferenceJob(
              runner, new BatchInferenceJob.Options(requests, lengths, batchSize, workers));
      InferenceProgress progress =
          Terminals.stderrIsTerminal()
              ? InferenceProgress.terminal(label, System.err, System::nanoTime)
              : InferenceProgress.silent();
      BatchInferenceJob.Summary summary;
      BatchInput source = input != null ? input : BatchInput.lines(Channel.of(data));
      if (out != null) {
        summary = job.runToFile(source, out, format, progress);
      } else {
        PrintWriter stdout = spec.commandLine().getOut();
        summary = job.runToStream(source, stdout, format, progress);
        if (stdout.checkError()) {
          throw new CliException(ExitCodes.IO, "cannot write to standard output");
        }
      }
      LOG.info(
          "{}: {} records in {} s ({} records/s)",
          label,
          summary.records(),
          String.format(java.util.Locale.ROOT, "%.2f", summary.seconds()),
          String.format(java.util.Locale.ROOT, "%.0f", summary.rate()));
    }
    return ExitCodes.OK;
  }

  private TruncationLengths parseLengths(CommandSpec spec) {
    if (inferMaxSeqlens == null) {
      return null;
    }
    try {
      return TruncationLengths.parse(inferMaxSeqlens);
    } catch (InferenceRequestException e) {
      throw new ParameterException(spec.commandLine(), "--infer-max-seqlens: " + e.getMessage());
    }
  }

  private DeviceChoice parseDevice(CommandSpec spec) {
    try {
      return DeviceChoice.parse(device);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }
}
