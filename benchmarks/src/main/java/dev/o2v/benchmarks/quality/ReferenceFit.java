package dev.o2v.benchmarks.quality;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The PyTorch side of the quality suite: {@code reference/quality_fit.py} (pair tasks) or
 * {@code reference/rating_fit.py} (the rating task) in a child process on one intra-op thread,
 * run on a background thread so that it trains while o2v does.
 */
final class ReferenceFit implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final String python;
  private final Path referenceDir;
  private final ExecutorService background = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "reference-fit");
    t.setDaemon(true);
    return t;
  });

  ReferenceFit(String python, Path referenceDir) {
    this.python = python;
    this.referenceDir = referenceDir;
  }

  /**
   * Starts fitting the task in {@code dir} (train.jsonl, validation.jsonl, hp.json).
   *
   * @param options {@code key=value} settings of {@code quality_fit.py} (init, dropout_at)
   * @param field the per-epoch JSON field to collect ({@code score} or {@code validation_mse})
   * @return the per-epoch values, when the process has finished
   */
  CompletableFuture<double[]> start(
      String script, Path dir, int epochs, long seed, List<String> options, String field) {
    List<String> command = new ArrayList<>(List.of(
        python, referenceDir.resolve(script).toString(), dir.toString(),
        Integer.toString(epochs), Long.toString(seed)));
    command.addAll(options);
    return CompletableFuture.supplyAsync(() -> run(command, field), background);
  }

  private static double[] run(List<String> command, String field) {
    try {
      ProcessBuilder builder = new ProcessBuilder(command);
      builder.environment().putIfAbsent("O2V_REF_THREADS", "1");
      builder.redirectError(ProcessBuilder.Redirect.INHERIT);
      Process process = builder.start();
      List<Double> values = new ArrayList<>();
      try (BufferedReader out = new BufferedReader(
          new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = out.readLine(); line != null; line = out.readLine()) {
          JsonNode node = JSON.readTree(line);
          if (node.has(field)) {
            values.add(node.get(field).asDouble());
          }
        }
      }
      int exit = process.waitFor();
      if (exit != 0) {
        throw new IllegalStateException("reference exited with " + exit + ": " + command);
      }
      return values.stream().mapToDouble(Double::doubleValue).toArray();
    } catch (IOException e) {
      throw new IllegalStateException("cannot run the reference: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while the reference ran", e);
    }
  }

  @Override
  public void close() {
    background.shutdownNow();
  }
}
