package dev.o2v.benchmarks;

import ai.djl.Device;
import dev.o2v.core.data.Channel;
import dev.o2v.core.hp.Hyperparameters;
import dev.o2v.inference.BatchInferenceJob;
import dev.o2v.inference.InferenceFormat;
import dev.o2v.inference.InferenceProgress;
import dev.o2v.inference.InferenceRunner;
import dev.o2v.inference.LineRequests;
import dev.o2v.train.model.TrainedModel;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Measures batch inference ({@code predict} and {@code embed} mode) in records/s and the peak
 * resident memory (VmHWM) of the process, for a small and a large input, to show that memory does
 * not grow with the input.
 *
 * <p>Usage: {@code BatchInferenceBenchmark MODEL_DIR [SIZES] [WORKERS]}, e.g. {@code model
 * 50000,5000000 2}. Each run is a child JVM (same classpath, {@code -Xmx256m}) so its peak RSS is
 * its own. Inputs are random lines shaped by the model's vocabulary sizes and {@code max_seq_len}
 * (in a temporary directory, deleted afterwards). Prints the load average, since the machine may
 * be shared.
 */
public final class BatchInferenceBenchmark {

  private static final String CHILD = "--child";

  private BatchInferenceBenchmark() {}

  /** Entry point. */
  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals(CHILD)) {
      child(args);
      return;
    }
    if (args.length < 1) {
      System.err.println("usage: BatchInferenceBenchmark MODEL_DIR [SIZES] [WORKERS]");
      System.exit(2);
    }
    Path model = Path.of(args[0]);
    String[] sizes = (args.length > 1 ? args[1] : "50000,5000000").split(",");
    int workers = args.length > 2 ? Integer.parseInt(args[2]) : 2;
    Hyperparameters hp;
    try (TrainedModel loaded = TrainedModel.load(model, Device.cpu())) {
      hp = loaded.hyperparameters();
    }
    Path dir = Files.createTempDirectory("o2v-infer-bench");
    try {
      for (String size : sizes) {
        long lines = Long.parseLong(size.trim());
        Path input = dir.resolve("in-" + lines + ".jsonl");
        writeInput(input, lines, hp);
        print("input: %,d lines, %.1f MB; load average %s", lines, Files.size(input) / 1e6,
            loadAverage());
        for (String mode : new String[] {"predict", "embed"}) {
          Path out = dir.resolve("out-" + mode + ".jsonl");
          String result = runChild(mode, model, input, out, workers);
          Files.deleteIfExists(out);
          print("%-7s %,10d lines: %s; load average %s", mode, lines, result, loadAverage());
        }
        Files.delete(input);
      }
    } finally {
      try (var left = Files.list(dir)) {
        for (Path p : left.toList()) {
          Files.deleteIfExists(p);
        }
      }
      Files.deleteIfExists(dir);
    }
  }

  /** Runs one job in this JVM and prints its rate and peak RSS on one line. */
  private static void child(String[] args) throws Exception {
    String mode = args[1];
    Path model = Path.of(args[2]);
    Path input = Path.of(args[3]);
    Path out = Path.of(args[4]);
    int workers = Integer.parseInt(args[5]);
    try (TrainedModel loaded = TrainedModel.load(model, Device.cpu())) {
      InferenceRunner runner = new InferenceRunner(loaded, 256);
      LineRequests requests =
          mode.equals("embed") ? LineRequests.embed(0, false) : LineRequests.predict();
      BatchInferenceJob job =
          new BatchInferenceJob(
              runner, new BatchInferenceJob.Options(requests, null, 1024, workers));
      BatchInferenceJob.Summary summary =
          job.runToFile(Channel.of(input), out, InferenceFormat.JSONLINES, InferenceProgress.silent());
      System.out.printf(
          Locale.ROOT,
          "%,.0f records/s (%,d records in %.1f s), peak RSS %,d MB%n",
          summary.rate(),
          summary.records(),
          summary.seconds(),
          peakRssKb() / 1024);
    }
  }

  private static String runChild(String mode, Path model, Path input, Path out, int workers)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of("-Xmx256m", "-Dai.djl.offline=true", "-cp",
        System.getProperty("java.class.path"), BatchInferenceBenchmark.class.getName(), CHILD,
        mode, model.toString(), input.toString(), out.toString(), Integer.toString(workers)));
    Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
    String last = "";
    try (BufferedReader reader = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        last = line;
      }
    }
    int code = process.waitFor();
    return code == 0 ? last : "child failed with exit code " + code;
  }

  /** Random lines: 60% pairs, 20% in0 only, 20% in1 only; lengths up to 1.5x max_seq_len. */
  private static void writeInput(Path file, long lines, Hyperparameters hp) throws IOException {
    SplittableRandom rng = new SplittableRandom(17);
    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      StringBuilder line = new StringBuilder(256);
      for (long i = 0; i < lines; i++) {
        int kind = rng.nextInt(5);
        line.setLength(0);
        line.append('{');
        if (kind != 4) {
          appendIds(line.append("\"in0\":"), rng, hp.enc0().vocabSize(), hp.enc0().maxSeqLen());
        }
        if (kind != 3) {
          appendIds(line.append(kind != 4 ? ",\"in1\":" : "\"in1\":"), rng,
              hp.enc1().vocabSize(), hp.enc1().maxSeqLen());
        }
        out.append(line.append("}\n"));
      }
    }
  }

  private static void appendIds(StringBuilder out, SplittableRandom rng, int vocab, int maxLen) {
    int length = 1 + rng.nextInt(Math.max(1, maxLen * 3 / 2));
    out.append('[');
    for (int i = 0; i < length; i++) {
      out.append(i > 0 ? "," : "").append(rng.nextInt(vocab));
    }
    out.append(']');
  }

  private static long peakRssKb() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmHWM:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    return -1;
  }

  private static String loadAverage() throws IOException {
    String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
    return parts[0] + " " + parts[1] + " " + parts[2];
  }

  private static void print(String format, Object... values) {
    System.out.println(String.format(Locale.ROOT, format, values));
  }
}
