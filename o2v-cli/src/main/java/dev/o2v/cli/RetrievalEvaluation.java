package dev.o2v.cli;

import dev.o2v.core.data.Channel;
import dev.o2v.inference.InferenceRunner;
import dev.o2v.inference.retrieval.CosineRanker;
import dev.o2v.inference.retrieval.PairScoreRanker;
import dev.o2v.inference.retrieval.RetrievalMetrics;
import dev.o2v.inference.retrieval.RetrievalTask;
import dev.o2v.inference.retrieval.SequenceLineReader;
import dev.o2v.inference.retrieval.SideEmbedder;
import dev.o2v.inference.retrieval.UnitVectors;
import dev.o2v.train.metrics.MetricLines;
import dev.o2v.train.model.AtomicFiles;
import dev.o2v.train.model.TrainedModel;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs {@code evaluate --retrieval} on a loaded model and prints the metrics. */
final class RetrievalEvaluation {

  private static final Logger LOG = LoggerFactory.getLogger(RetrievalEvaluation.class);

  private final RetrievalOptions options;
  private final String channelName;
  private final int rankThreads;

  RetrievalEvaluation(RetrievalOptions options, String channelName, int rankThreads) {
    this.options = options;
    this.channelName = channelName;
    this.rankThreads = rankThreads;
  }

  /** Checks the option combination before the engine starts. */
  static void check(RetrievalOptions options, Path data) {
    boolean pairs = data != null;
    boolean separate = options.queries != null || options.corpus != null;
    if (pairs == separate || (separate && (options.queries == null || options.corpus == null))) {
      throw new CliException(ExitCodes.USAGE,
          "--retrieval needs either --data PAIRS or both --queries and --corpus");
    }
    for (int k : options.hitsAt) {
      if (k < 1) {
        throw new CliException(ExitCodes.USAGE, "--hits-at values must be >= 1, found " + k);
      }
    }
    if (options.batchSize < 1) {
      throw new CliException(ExitCodes.USAGE,
          "--batch-size must be >= 1, found " + options.batchSize);
    }
    rankByScore(options);
  }

  private static boolean rankByScore(RetrievalOptions options) {
    return switch (options.rankBy.trim().toLowerCase(Locale.ROOT)) {
      case "cosine" -> false;
      case "score" -> true;
      default -> throw new CliException(ExitCodes.USAGE,
          "--rank-by must be cosine or score, found '" + options.rankBy + "'");
    };
  }

  /** Reads the task, ranks, prints metric lines on {@code stdout} and writes --out. */
  RetrievalMetrics run(TrainedModel model, Path data, PrintStream stdout) throws IOException {
    InferenceRunner runner = new InferenceRunner(model, Math.min(options.batchSize, 512));
    SequenceLineReader reader =
        new SequenceLineReader(runner.vocabSize(0), runner.vocabSize(1));
    RetrievalTask task = data != null
        ? RetrievalTask.fromPairs(reader.readAll(Channel.of(data)),
            runner.defaultLengths().of(1))
        : RetrievalTask.fromQueriesAndCorpus(reader.readAll(Channel.of(options.queries)),
            reader.readAll(Channel.of(options.corpus)));
    if (task.queries().isEmpty() || task.corpus().isEmpty()) {
      throw new CliException(ExitCodes.DATA, "--retrieval found no queries or no corpus lines");
    }
    LOG.info("retrieval: {} queries, corpus of {} items", task.queries().size(),
        task.corpus().size());
    boolean byScore = rankByScore(options);
    long start = System.nanoTime();
    int[] ranks;
    if (byScore) {
      ranks = new PairScoreRanker(runner, options.batchSize, options.positiveClass)
          .ranks(task, WorkProgress.of("rank by score", task.queries().size()));
    } else {
      SideEmbedder embedder = new SideEmbedder(runner, options.batchSize);
      UnitVectors queries = embedder.embed(task.queries(), 0,
          WorkProgress.of("embed queries", task.queries().size()));
      UnitVectors corpus = embedder.embed(task.corpus(), 1,
          WorkProgress.of("embed corpus", task.corpus().size()));
      ranks = new CosineRanker(rankThreads).ranks(queries, corpus, task.match(),
          WorkProgress.of("rank", queries.count()));
    }
    LOG.info("retrieval: ranked in {} s",
        String.format(Locale.ROOT, "%.2f", (System.nanoTime() - start) / 1e9));
    RetrievalMetrics metrics =
        RetrievalMetrics.of(ranks, options.hitsAt, task.corpus().size());
    MetricLines lines = new MetricLines(stdout);
    metrics.named().forEach((name, value) -> lines.fin(channelName, name,
        RetrievalMetrics.lowerIsBetter(name) ? "loss" : "score", value));
    if (options.out != null) {
      String json = metrics.toJson(byScore ? "score" : "cosine") + "\n";
      AtomicFiles.write(options.out, json.getBytes(StandardCharsets.UTF_8));
    }
    return metrics;
  }
}
