package dev.o2v.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options of {@code evaluate --retrieval}. */
final class RetrievalOptions {

  @Option(names = "--retrieval",
      description = "Rank a corpus for each query and report hits@k, mean rank and MRR instead"
          + " of the training metrics. Input: --data PAIRS (each line's in0 a query, its in1 the"
          + " true match; the corpus is every distinct in1) or --queries and --corpus.")
  boolean enabled;

  @Option(names = "--queries", paramLabel = "PATH",
      description = "With --retrieval: query lines {\"in0\":[...],\"match\":N}, N the 0-based"
          + " position of the true match among the --corpus lines.")
  Path queries;

  @Option(names = "--corpus", paramLabel = "PATH",
      description = "With --retrieval: corpus lines {\"in1\":[...]}, ranked as given.")
  Path corpus;

  @Option(names = "--hits-at", paramLabel = "K[,K...]", split = ",", defaultValue = "1,10",
      description = "Cut-offs of hits@k (default: ${DEFAULT-VALUE}).")
  int[] hitsAt;

  @Option(names = "--rank-by", paramLabel = "cosine|score", defaultValue = "cosine",
      description = "cosine: of the two encoders' embeddings (exact, any corpus size); score:"
          + " the model's own pair score, every query with every item (small corpora)."
          + " Default: ${DEFAULT-VALUE}.")
  String rankBy;

  @Option(names = "--positive-class", paramLabel = "C", defaultValue = "1",
      description = "With --rank-by score and a softmax head: the class whose probability"
          + " ranks (default: ${DEFAULT-VALUE}).")
  int positiveClass;

  @Option(names = "--batch-size", paramLabel = "N", defaultValue = "1024",
      description = "With --retrieval: sequences (or pairs) per model call"
          + " (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(names = "--out", paramLabel = "FILE",
      description = "With --retrieval: also write the metrics as one JSON object to FILE.")
  Path out;
}
