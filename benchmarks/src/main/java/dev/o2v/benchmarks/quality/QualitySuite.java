package dev.o2v.benchmarks.quality;

import dev.o2v.benchmarks.MovieLensTask;
import dev.o2v.core.data.Channel;
import dev.o2v.core.data.DataSchema;
import dev.o2v.core.data.JsonlRecordReader;
import dev.o2v.core.data.PairDataset;
import dev.o2v.core.hp.HyperparameterCodec;
import dev.o2v.core.hp.Hyperparameters;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.ToDoubleBiFunction;

/**
 * The quality suite: o2v and the PyTorch reference trained on the same prepared data with the
 * same hyperparameters, each validation split scored after every epoch, best epochs compared.
 *
 * <ul>
 *   <li>{@code sick}: SICK entailment (3 classes), train → trial, accuracy; hcnn, bilstm and
 *       pooled_embedding at token dim 128, tied tables, MLP 2 × 256 relu, Adam 0.001, batch 64,
 *       dropout 0.2, 8 epochs.
 *   <li>{@code stsb}: STS-B relatedness as regression, train → dev, Spearman correlation of the
 *       predicted score; the hyperparameters {@code o2v prepare} writes (enc_dim 128, MLP 1 × 128,
 *       dropout 0.1), 10 epochs, each encoder.
 *   <li>{@code movielens}: the MovieLens-100k-shaped synthetic ratings of {@code
 *       MovieLensAcceptance} (rank 2, SageMaker's movie settings with row_sparse and weight decay
 *       0.02), validation MSE in units of the noise variance σ² (lower is better).
 * </ul>
 *
 * <p>Text is tokenised once by {@code o2v prepare} (training split; the validation split with the
 * training vocabulary), so both sides read identical ids. Usage and options: see the benchmarks
 * README, section "Quality".
 */
public final class QualitySuite {

  private final Options options;
  private final ReferenceFit reference;
  private final List<String> summary = new ArrayList<>();

  private QualitySuite(Options options) {
    this.options = options;
    this.reference = new ReferenceFit(options.python, options.referenceDir);
  }

  public static void main(String[] args) throws Exception {
    Options options = Options.parse(args);
    QualitySuite suite = new QualitySuite(options);
    long start = System.nanoTime();
    try {
      suite.runAll();
    } finally {
      suite.reference.close();
    }
    System.out.println();
    System.out.println("## Summary (mean of seeds' best epochs; per-seed bests in brackets)");
    System.out.println();
    System.out.println("| task | encoder | variant | metric | mean best | per seed |");
    System.out.println("| --- | --- | --- | --- | --: | --- |");
    suite.summary.forEach(System.out::println);
    System.out.printf(Locale.ROOT, "%nquality suite: %.0f s, seeds %s%n",
        (System.nanoTime() - start) / 1e9, options.seeds);
  }

  private void runAll() throws IOException {
    Files.createDirectories(options.work);
    for (String task : options.tasks) {
      switch (task) {
        case "sick" -> runPairTask("sick", prepareSick(), sickSettings(), 8, false);
        case "stsb" -> runPairTask("stsb", prepareStsb(), Map.of(), 10, true);
        case "movielens" -> runMovieLens();
        default -> throw new IllegalArgumentException(
            "tasks must be among sick, stsb, movielens, found " + task);
      }
    }
  }

  private static Map<String, Object> sickSettings() {
    Map<String, Object> hp = new LinkedHashMap<>();
    hp.put("mlp_layers", 2);
    hp.put("mlp_dim", 256);
    hp.put("dropout", 0.2);
    return hp;
  }

  /** enc_dim and layers of each encoder on SICK; STS-B keeps prepare's enc_dim and layers. */
  private static Map<String, Object> encoderSettings(String encoder, boolean keepSizes) {
    Map<String, Object> hp = new LinkedHashMap<>();
    hp.put("enc0_network", encoder);
    hp.put("enc1_network", "enc0");
    if (!keepSizes) {
      switch (encoder) {
        case "hcnn" -> {
          hp.put("enc_dim", 512);
          hp.put("enc0_layers", 4);
        }
        case "bilstm" -> {
          hp.put("enc_dim", 256);
          hp.put("enc0_layers", 1);
        }
        default -> hp.put("enc_dim", 128);
      }
    }
    return hp;
  }

  private Path prepareSick() throws IOException {
    Path sick = options.data.resolve("sick");
    String[] common = {"--format", "tsv", "--no-header", "--in0", "1", "--in1", "2",
        "--label", "4", "--label-map", "ENTAILMENT=0,NEUTRAL=1,CONTRADICTION=2", "--lowercase"};
    return prepare("sick", sick.resolve("SICK_train.txt"), sick.resolve("SICK_trial.txt"), common);
  }

  private Path prepareStsb() throws IOException {
    Path stsb = options.data.resolve("stsb");
    String[] common = {"--format", "tsv", "--no-header", "--in0", "5", "--in1", "6",
        "--label", "4", "--task", "regression", "--lowercase"};
    return prepare("stsb", stsb.resolve("sts-train.csv"), stsb.resolve("sts-dev.csv"), common);
  }

  /**
   * Runs {@code o2v prepare} on the training file, then on the validation file with the training
   * vocabulary; returns a directory with train.jsonl, validation.jsonl and prepare's hp.json.
   */
  private Path prepare(String name, Path trainFile, Path validationFile, String[] common)
      throws IOException {
    for (Path input : List.of(trainFile, validationFile)) {
      if (!Files.isRegularFile(input)) {
        throw new IllegalArgumentException(
            "--data: " + input + " is missing (expected the public SICK and STS-B files under "
                + options.data + ")");
      }
    }
    Path dir = options.work.resolve(name);
    Path trainOut = dir.resolve("prepared-train");
    Path validationOut = dir.resolve("prepared-validation");
    prepareOne(trainFile, trainOut, common);
    List<String> withVocab = new ArrayList<>(Arrays.asList(common));
    withVocab.addAll(List.of("--vocab", trainOut.resolve("vocab.json").toString()));
    prepareOne(validationFile, validationOut, withVocab.toArray(String[]::new));
    Files.copy(trainOut.resolve("train.jsonl"), dir.resolve("train.jsonl"),
        StandardCopyOption.REPLACE_EXISTING);
    Files.copy(validationOut.resolve("train.jsonl"), dir.resolve("validation.jsonl"),
        StandardCopyOption.REPLACE_EXISTING);
    Files.copy(trainOut.resolve("hp.json"), dir.resolve("hp.json"),
        StandardCopyOption.REPLACE_EXISTING);
    return dir;
  }

  private static void prepareOne(Path input, Path out, String[] common)
      throws IOException {
    // The suite's own scratch output, made again on every run. The command line runs as a child
    // process from its built jar, as a user runs it (quality.sh builds it).
    Path jar = Path.of(System.getProperty("o2v.cli.jar", "o2v-cli/target/o2v.jar"));
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " not found: build o2v-cli first, or name its jar"
          + " with -Do2v.cli.jar=PATH");
    }
    List<String> args = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Dai.djl.offline=true", "-jar", jar.toString(),
        "prepare", "--input", input.toString(), "--out", out.toString(), "--overwrite"));
    args.addAll(Arrays.asList(common));
    int exit;
    try {
      exit = new ProcessBuilder(args).inheritIO().start().waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while o2v prepare ran on " + input, e);
    }
    if (exit != 0) {
      throw new IllegalStateException("o2v prepare exited with " + exit + " for " + input);
    }
  }


  private void runPairTask(
      String task, Path dir, Map<String, Object> taskSettings, int epochs, boolean regression)
      throws IOException {
    Map<String, Object> prepared = HyperparameterCodec.readFile(dir.resolve("hp.json"));
    ToDoubleBiFunction<double[], double[]> metric =
        regression ? RankCorrelation::spearman : QualitySuite::accuracy;
    String metricName = regression ? "Spearman" : "accuracy";
    for (String encoder : options.encoders) {
      Map<String, Object> raw = new LinkedHashMap<>(prepared);
      raw.remove("enc0_vocab_file");
      raw.putAll(taskSettings);
      raw.putAll(encoderSettings(encoder, regression));
      raw.put("epochs", options.epochs > 0 ? options.epochs : epochs);
      raw.putAll(options.overrides);
      Hyperparameters hp = HyperparameterCodec.parse(raw);
      Path runDir = dir.resolve(encoder);
      Files.createDirectories(runDir);
      for (String file : List.of("train.jsonl", "validation.jsonl")) {
        Files.copy(dir.resolve(file), runDir.resolve(file), StandardCopyOption.REPLACE_EXISTING);
      }
      Files.writeString(runDir.resolve("hp.json"), HyperparameterCodec.toCanonicalJson(hp));
      PairDataset train = load(hp, runDir.resolve("train.jsonl"));
      PairDataset validation = load(hp, runDir.resolve("validation.jsonl"));
      System.out.printf(Locale.ROOT, "%n# %s %s: %d training pairs, %d validation pairs, %s%n",
          task, encoder, train.size(), validation.size(), describe(hp));
      Map<String, List<double[]>> byVariant = new LinkedHashMap<>();
      for (long seed : options.seeds) {
        Map<String, CompletableFuture<double[]>> pending = new LinkedHashMap<>();
        for (String variant : options.referenceVariants) {
          pending.put("PyTorch " + variant, reference.start("quality_fit.py", runDir,
              hp.epochs(), seed, Arrays.asList(variant.split("\\+")), "score"));
        }
        for (InitVariant init : options.inits) {
          double[] scores = O2vFit.run(hp, train, validation, seed, init, metric);
          report(task, encoder, seed, "o2v " + init.name().toLowerCase(Locale.ROOT), scores,
              false, byVariant);
        }
        for (Map.Entry<String, CompletableFuture<double[]>> e : pending.entrySet()) {
          report(task, encoder, seed, e.getKey(), e.getValue().join(), false, byVariant);
        }
      }
      byVariant.forEach((variant, runs) ->
          summarise(task, encoder, variant, metricName, runs, false));
    }
  }

  private void runMovieLens() throws IOException {
    Map<String, List<double[]>> byVariant = new LinkedHashMap<>();
    int epochs = options.epochs > 0 ? options.epochs : 6;
    for (long seed : options.seeds) {
      MovieLensTask task = MovieLensTask.create(seed, epochs, options.overrides);
      Path dir = options.work.resolve("movielens-" + seed);
      task.export(dir);
      System.out.printf(Locale.ROOT, "%n# movielens seed %d: %d training ratings, %d validation,"
          + " sigma^2 %.4f, %s%n", seed, task.train().size(), task.validation().size(),
          task.noiseVariance(), describe(task.hp()));
      CompletableFuture<double[]> pending = options.referenceVariants.isEmpty()
          ? null
          : reference.start("rating_fit.py", dir, epochs, seed, List.of(), "validation_mse");
      double sigma2 = task.noiseVariance();
      for (InitVariant init : options.inits) {
        double[] scores = O2vFit.run(task.hp(), task.train(), task.validation(), seed, init,
            (predicted, labels) -> meanSquaredError(predicted, labels) / sigma2);
        report("movielens", "pooled_embedding", seed,
            "o2v " + init.name().toLowerCase(Locale.ROOT), scores, true, byVariant);
      }
      if (pending != null) {
        double[] mse = pending.join();
        report("movielens", "pooled_embedding", seed, "PyTorch init=small",
            Arrays.stream(mse).map(v -> v / sigma2).toArray(), true, byVariant);
      }
    }
    byVariant.forEach((variant, runs) ->
        summarise("movielens", "pooled_embedding", variant, "MSE / sigma^2", runs, true));
  }

  private static void report(String task, String encoder, long seed, String variant,
      double[] scores, boolean lowerIsBetter, Map<String, List<double[]>> byVariant) {
    StringBuilder line = new StringBuilder(String.format(Locale.ROOT,
        "%s %s seed %d %-34s", task, encoder, seed, variant));
    for (double s : scores) {
      line.append(String.format(Locale.ROOT, " %.3f", s));
    }
    line.append(String.format(Locale.ROOT, "  best %.3f", best(scores, lowerIsBetter)));
    System.out.println(line);
    byVariant.computeIfAbsent(variant, v -> new ArrayList<>()).add(scores);
  }

  private void summarise(String task, String encoder, String variant, String metric,
      List<double[]> runs, boolean lowerIsBetter) {
    double[] bests = runs.stream().mapToDouble(r -> best(r, lowerIsBetter)).toArray();
    StringBuilder perSeed = new StringBuilder();
    for (double b : bests) {
      perSeed.append(perSeed.length() == 0 ? "" : ", ")
          .append(String.format(Locale.ROOT, "%.3f", b));
    }
    summary.add(String.format(Locale.ROOT, "| %s | %s | %s | %s | %.3f | %s |", task, encoder,
        variant, metric, Arrays.stream(bests).average().orElse(Double.NaN), perSeed));
  }

  private static double best(double[] scores, boolean lowerIsBetter) {
    return lowerIsBetter
        ? Arrays.stream(scores).min().orElse(Double.NaN)
        : Arrays.stream(scores).max().orElse(Double.NaN);
  }

  static double accuracy(double[] predicted, double[] labels) {
    int correct = 0;
    for (int i = 0; i < labels.length; i++) {
      correct += Math.round(predicted[i]) == Math.round(labels[i]) ? 1 : 0;
    }
    return labels.length == 0 ? 0 : (double) correct / labels.length;
  }

  static double meanSquaredError(double[] predicted, double[] labels) {
    double sum = 0;
    for (int i = 0; i < labels.length; i++) {
      sum += (predicted[i] - labels[i]) * (predicted[i] - labels[i]);
    }
    return labels.length == 0 ? 0 : sum / labels.length;
  }

  private static PairDataset load(Hyperparameters hp, Path file) {
    return new JsonlRecordReader(DataSchema.forTraining(hp)).load(Channel.of(file));
  }

  private static String describe(Hyperparameters hp) {
    return String.format(Locale.ROOT,
        "enc_dim %d, layers %d, token dim %d, mlp %dx%d %s, dropout %s, %s %s, batch %d, epochs %d",
        hp.encDim(), hp.enc0().layers(), hp.enc0().tokenEmbeddingDim(), hp.mlpLayers(),
        hp.mlpDim(), hp.mlpActivation().key(), hp.dropout(), hp.optimizer().key(),
        hp.learningRate(), hp.miniBatchSize(), hp.epochs());
  }

  /** Command-line options of the suite. */
  private static final class Options {
    Path data;
    Path work;
    Path referenceDir;
    String python = "/usr/bin/python3";
    List<Long> seeds = List.of(1L, 2L, 3L);
    int epochs;
    List<String> tasks = List.of("sick", "stsb", "movielens");
    List<String> encoders = List.of("hcnn", "bilstm", "pooled_embedding");
    List<InitVariant> inits = List.of(InitVariant.SHIPPED);
    List<String> referenceVariants = List.of("init=pytorch");
    Map<String, Object> overrides = new LinkedHashMap<>();

    static Options parse(String[] args) {
      Options o = new Options();
      Path root = Path.of("").toAbsolutePath();
      o.data = root.resolve("../shared/data").normalize();
      o.work = root.resolve("benchmarks/target/quality");
      o.referenceDir = root.resolve("benchmarks/reference");
      for (int i = 0; i < args.length; i++) {
        String value = i + 1 < args.length ? args[i + 1] : null;
        switch (args[i]) {
          case "--data" -> o.data = Path.of(require(args[i], value)).toAbsolutePath();
          case "--work" -> o.work = Path.of(require(args[i], value)).toAbsolutePath();
          case "--python" -> o.python = require(args[i], value);
          case "--seeds" -> o.seeds = Arrays.stream(require(args[i], value).split(","))
              .map(String::trim).map(Long::parseLong).toList();
          case "--epochs" -> o.epochs = Integer.parseInt(require(args[i], value));
          case "--tasks" -> o.tasks = list(require(args[i], value));
          case "--encoders" -> o.encoders = list(require(args[i], value));
          case "--o2v-init" -> o.inits =
              list(require(args[i], value)).stream().map(InitVariant::parse).toList();
          case "--reference" -> o.referenceVariants =
              "none".equals(value) ? List.of() : list(require(args[i], value));
          case "--set" -> {
            String[] kv = require(args[i], value).split("=", 2);
            o.overrides.put(kv[0], kv.length > 1 ? kv[1] : "");
          }
          default -> throw new IllegalArgumentException("unknown option " + args[i]
              + " (see the Quality section of benchmarks/README.md)");
        }
        i++;
      }
      if (o.python.equals("none")) {
        o.referenceVariants = List.of();
      }
      return o;
    }

    private static List<String> list(String value) {
      return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty())
          .toList();
    }

    private static String require(String option, String value) {
      if (value == null) {
        throw new IllegalArgumentException(option + " needs a value");
      }
      return value;
    }
  }
}
