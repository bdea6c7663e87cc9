package dev.o2v.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Runs the PyTorch eager reference ({@code benchmarks/reference/object2vec_reference.py}) on the
 * same data files, hyperparameters and timing plans as o2v, in one Python process per call.
 */
public final class ReferenceRunner {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final String python;
  private final Path script;
  private final String device;
  private final int threads;

  /** What the reference measured for one workload; absent rates are empty arrays. */
  public record Result(String name, long params, Rate train, Rate infer) {

    /** Several runs' results for one workload as one ({@link Rate#pooled}). */
    static Result pooled(List<Result> runs) {
      return new Result(runs.get(0).name(), runs.get(0).params(),
          Rate.pooled(runs.stream().map(Result::train).toList()),
          Rate.pooled(runs.stream().map(Result::infer).toList()));
    }
  }

  /** What the reference process reports about itself. */
  public record Header(String torchVersion, int threads, int interopThreads) {}

  /** A job: one workload and its data file, and what to time. */
  public record Job(Workload workload, Path data, boolean train, boolean infer, long seed) {}

  /**
   * A runner.
   *
   * @param python the interpreter that has {@code torch} (Debian: {@code /usr/bin/python3})
   * @param script the reference script
   * @param device {@code cpu} or {@code gpu}
   * @param threads intra-op threads ({@code torch.set_num_threads})
   */
  public ReferenceRunner(String python, Path script, String device, int threads) {
    this.python = python;
    this.script = script;
    this.device = device;
    this.threads = threads;
  }

  /** A runner configured by the harness options. */
  public static ReferenceRunner of(HarnessOptions options) {
    return new ReferenceRunner(options.python(), options.reference(), options.device(),
        options.threads());
  }

  /** Runs every job in one process; the header is {@code Optional.empty()} when it failed. */
  public Optional<Header> run(List<Job> jobs, Path workDir, Map<String, Result> out)
      throws IOException, InterruptedException {
    Path jobFile = workDir.resolve("reference-jobs.json");
    Files.writeString(jobFile, JSON.writeValueAsString(jobSpec(jobs)), StandardCharsets.UTF_8);
    Process process =
        new ProcessBuilder(python, "-u", script.toString(), jobFile.toString())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    Header header = null;
    try (BufferedReader in =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        JsonNode node = JSON.readTree(line);
        if (node.has("torch")) {
          header = new Header(node.get("torch").asText(), node.get("threads").asInt(),
              node.get("interop_threads").asInt());
        } else {
          Result result = parse(node);
          out.put(result.name(), result);
          System.out.printf(Locale.ROOT, "  reference %-28s train %10.1f rec/s  infer %10.1f"
              + " rec/s%n", result.name(), medianOrNaN(result.train()),
              medianOrNaN(result.infer()));
        }
      }
    }
    int code = process.waitFor();
    if (code != 0) {
      System.err.printf(Locale.ROOT, "PyTorch reference exited with code %d; its rows stay empty%n",
          code);
    }
    return Optional.ofNullable(header);
  }

  /** Starts the reference with no jobs to learn its PyTorch version and thread counts. */
  public static Optional<Header> probe(HarnessOptions options, Path workDir)
      throws IOException, InterruptedException {
    return of(options).run(List.of(), workDir, new LinkedHashMap<>());
  }

  private ObjectNode jobSpec(List<Job> jobs) {
    ObjectNode spec = JSON.createObjectNode();
    spec.put("device", device);
    spec.put("threads", threads);
    ArrayNode array = spec.putArray("jobs");
    for (Job job : jobs) {
      ObjectNode node = array.addObject();
      Workload w = job.workload();
      node.put("name", w.name());
      node.put("data", job.data().toString());
      node.set("hp", JSON.valueToTree(new LinkedHashMap<>(w.hyperparameters().toCanonicalMap())));
      node.put("warmup", w.steps().warmup());
      node.put("warmup_seconds", w.steps().warmupSeconds());
      node.put("per_repeat", w.steps().perRepeat());
      node.put("repeats", w.steps().repeats());
      node.put("train", job.train());
      node.put("infer", job.infer());
      node.put("seed", job.seed());
    }
    return spec;
  }

  private static Result parse(JsonNode node) {
    return new Result(
        node.get("name").asText(),
        node.path("params").asLong(),
        rate(node, "train"),
        rate(node, "infer"));
  }

  private static Rate rate(JsonNode node, String prefix) {
    return new Rate(doubles(node.path(prefix + "_records_per_s")),
        doubles(node.path(prefix + "_step_ms")));
  }

  private static double[] doubles(JsonNode array) {
    double[] values = new double[array.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = array.get(i).asDouble();
    }
    return values;
  }

  /** The median of a rate, or NaN when it holds no windows. */
  static double medianOrNaN(Rate rate) {
    return rate == null || rate.recordsPerSecond().length == 0 ? Double.NaN : rate.median();
  }
}
