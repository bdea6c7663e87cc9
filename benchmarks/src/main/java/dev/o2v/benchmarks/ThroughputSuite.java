package dev.o2v.benchmarks;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Training and inference records/s of o2v and of the PyTorch reference, per encoder, at a small
 * size, at SageMaker's default sizes, on the MovieLens-shaped regression and on AWS's
 * document-embedding job.
 */
public final class ThroughputSuite {

  /**
   * One measured workload.
   *
   * @param workload what was run
   * @param parameters trainable weights of the o2v network
   * @param o2vTrain o2v training rate
   * @param o2vInfer o2v inference (scoring) rate
   * @param reference the reference's rates, null when it did not run
   * @param trainerEpochRate median {@code #throughput_metric} of the real trainer after its first
   *     epoch, NaN when not checked
   * @param rounds how many times each side was measured, o2v and the reference taking turns; the
   *     rates pool every round's windows
   */
  public record Row(
      Workload workload,
      long parameters,
      Rate o2vTrain,
      Rate o2vInfer,
      ReferenceRunner.Result reference,
      double trainerEpochRate,
      int rounds) {

    /** o2v / PyTorch training records/s. */
    @JsonProperty
    public double trainRatio() {
      return Stats.ratio(o2vTrain.median(), ReferenceRunner.medianOrNaN(
          reference == null ? null : reference.train()));
    }

    /** o2v / PyTorch inference records/s. */
    @JsonProperty
    public double inferRatio() {
      return Stats.ratio(o2vInfer.median(), ReferenceRunner.medianOrNaN(
          reference == null ? null : reference.infer()));
    }
  }

  /**
   * Workloads measured in {@link #ALTERNATING_ROUNDS} rounds: those whose step takes milliseconds,
   * so that one round's windows last a second or two and a spell of other work on the machine
   * could otherwise fall on one side only (single full runs put small hcnn training anywhere from
   * 0.89× to 2.23× the reference).
   */
  private static final Set<String> ALTERNATED = Set.of("small-pooled_embedding", "small-hcnn",
      "small-bilstm", "sentence-hcnn", "movielens");
  static final int ALTERNATING_ROUNDS = 3;

  private ThroughputSuite() {}

  /** How many alternating rounds {@link #run} measures {@code workload} in (one when quick). */
  static int rounds(Workload workload, boolean quick) {
    return !quick && ALTERNATED.contains(workload.name()) ? ALTERNATING_ROUNDS : 1;
  }

  /**
   * The workloads: three encoders at two sizes, hcnn at a sentence task's size, MovieLens, then
   * the document-embedding job.
   */
  public static List<Workload> workloads(boolean quick) {
    Workload.Steps small = quick ? new Workload.Steps(2, 5, 2).warmingUpFor(3)
        : new Workload.Steps(10, 25, 5).warmingUpFor(15);
    Workload.Steps pooledBig = quick ? new Workload.Steps(1, 1, 2) : new Workload.Steps(3, 4, 5);
    Workload.Steps hcnnBig = quick ? new Workload.Steps(1, 1, 2) : new Workload.Steps(2, 2, 5);
    Workload.Steps lstmBig = quick ? new Workload.Steps(1, 1, 1) : new Workload.Steps(1, 1, 3);
    Workload.Steps document = quick ? new Workload.Steps(2, 3, 2).warmingUpFor(3)
        : new Workload.Steps(5, 10, 5).warmingUpFor(15);
    Workload.Steps movie = quick ? new Workload.Steps(3, 10, 2).warmingUpFor(3)
        : new Workload.Steps(10, 30, 5).warmingUpFor(15);
    List<Workload> list = new ArrayList<>();
    for (String network : List.of("pooled_embedding", "hcnn", "bilstm")) {
      list.add(Workload.topics("small-" + network, network, 64, 64, 1000, 20, 64, small));
    }
    // hcnn as in a small sentence task (SICK-sized vocabulary): the shape where a convolution
    // kernel's fixed costs weigh more than at SageMaker's default sizes.
    list.add(Workload.topics("sentence-hcnn", "hcnn", 512, 128, 2500, 40, 64, small));
    list.add(Workload.topics("sagemaker-pooled_embedding", "pooled_embedding", 4096, 300, 10_000,
        40, 32, pooledBig));
    list.add(Workload.topics("sagemaker-hcnn", "hcnn", 4096, 300, 10_000, 40, 32, hcnnBig));
    list.add(Workload.topics("sagemaker-bilstm", "bilstm", 4096, 300, 10_000, 40, 32, lstmBig));
    list.add(Workload.movieLens(movie));
    list.add(Workload.documentEmbedding(document));
    return list;
  }

  /**
   * The workload of {@link #workloads} named {@code name}.
   *
   * @throws IllegalArgumentException when there is none
   */
  public static Workload workload(String name, boolean quick) {
    return workloads(quick).stream()
        .filter(w -> w.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no workload named " + name));
  }

  /**
   * Runs every workload whose name the options select, o2v's side of each in a JVM of its own
   * ({@link O2vWorkloadProcess}) as the reference's runs in a Python process of its own; for
   * {@link #rounds} above one, the two sides take turns that many times.
   */
  public static List<Row> run(HarnessOptions options, Path workDir)
      throws IOException, InterruptedException {
    List<Row> rows = new ArrayList<>();
    ReferenceRunner reference = ReferenceRunner.of(options);
    for (Workload w : workloads(options.quick())) {
      if (!options.only().matcher(w.name()).find()) {
        continue;
      }
      int rounds = rounds(w, options.quick());
      System.out.printf(Locale.ROOT, "throughput %s (%s%d+%dx%d steps)%n", w.name(),
          rounds > 1 ? rounds + " alternating rounds of " : "", w.steps().warmup(),
          w.steps().repeats(), w.steps().perRepeat());
      List<O2vWorkloadProcess.Outcome> o2vRounds = new ArrayList<>();
      List<ReferenceRunner.Result> referenceRounds = new ArrayList<>();
      for (int round = 0; round < rounds; round++) {
        O2vWorkloadProcess.Outcome o2v = O2vWorkloadProcess.measure(w, options, workDir);
        o2vRounds.add(o2v);
        System.out.printf(Locale.ROOT, "  o2v       %-28s train %10.1f rec/s  infer %10.1f rec/s%n",
            w.name(), o2v.train().median(), o2v.infer().median());
        if (!Double.isNaN(o2v.trainerEpochRate())) {
          System.out.printf(Locale.ROOT, "  Trainer   %-28s epoch throughput %10.1f rec/s%n",
              w.name(), o2v.trainerEpochRate());
        }
        if (options.withReference()) {
          Map<String, ReferenceRunner.Result> results = new LinkedHashMap<>();
          reference.run(List.of(new ReferenceRunner.Job(w, o2v.jsonl(), true, true,
              options.seed())), workDir, results);
          if (results.containsKey(w.name())) {
            referenceRounds.add(results.get(w.name()));
          }
        }
      }
      rows.add(new Row(w, o2vRounds.get(0).parameters(),
          Rate.pooled(o2vRounds.stream().map(O2vWorkloadProcess.Outcome::train).toList()),
          Rate.pooled(o2vRounds.stream().map(O2vWorkloadProcess.Outcome::infer).toList()),
          referenceRounds.size() == rounds ? ReferenceRunner.Result.pooled(referenceRounds) : null,
          Stats.median(o2vRounds.stream()
              .mapToDouble(O2vWorkloadProcess.Outcome::trainerEpochRate).toArray()),
          rounds));
    }
    return rows;
  }
}
