package dev.o2v.benchmarks;

import dev.o2v.core.data.PairDataset;
import dev.o2v.core.synthetic.MovieLensLikeRatings;
import dev.o2v.core.synthetic.JsonlWriter;
import dev.o2v.core.synthetic.PairExample;
import dev.o2v.core.synthetic.SyntheticPairTask;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Generated records for a {@link Workload}: the topic-pair task with the workload's vocabulary and
 * lengths, held in memory for o2v and written as JSON Lines for the PyTorch reference.
 *
 * @param dataset the records as o2v trains on them
 * @param jsonl the same records, one JSON object per line
 */
public record WorkloadData(PairDataset dataset, Path jsonl) {

  /** Shortest generated document (the longest is the workload's {@code maxLen}). */
  static final int DOCUMENT_MIN_LENGTH = 10;

  /** Generates {@code workload.records()} records from {@code seed} and writes them to a file. */
  public static WorkloadData generate(Workload workload, Path directory, long seed)
      throws IOException {
    if (workload.movieLens()) {
      return movieLens(workload, directory, seed);
    }
    if (workload.data() == Workload.DataKind.ZIPF_DOCUMENTS) {
      return documents(workload, directory, seed);
    }
    int shared = Math.max(1, workload.vocab() / 10);
    int minLength = Math.max(1, (workload.maxLen() + 1) / 2);
    SyntheticPairTask task =
        new SyntheticPairTask(
            new SyntheticPairTask.Config(
                workload.vocab(), 10, shared, minLength, workload.maxLen(), 0.7, 0.5, false));
    List<PairExample> examples = task.generate(workload.records(), new SplittableRandom(seed));
    PairDataset data = PairExample.toDataset(task.schema(), examples);
    Path file = directory.resolve(workload.name() + ".jsonl");
    JsonlWriter.writeAll(file, examples, true);
    return new WorkloadData(data, file);
  }

  /**
   * Zipf documents; the file also holds the negatives o2v samples itself, so a reader without
   * negative sampling trains on batches of the same mix.
   */
  private static WorkloadData documents(Workload workload, Path directory, long seed)
      throws IOException {
    ZipfDocuments documents =
        new ZipfDocuments(workload.vocab(), DOCUMENT_MIN_LENGTH, workload.maxLen());
    SplittableRandom random = new SplittableRandom(seed);
    List<PairExample> positives = documents.generate(workload.records(), random);
    PairDataset data = PairExample.toDataset(documents.schema(), positives);
    int rate = workload.hyperparameters().negativeSamplingRate();
    Path file = directory.resolve(workload.name() + ".jsonl");
    JsonlWriter.writeAll(file, ZipfDocuments.withNegatives(positives, rate, random), true);
    return new WorkloadData(data, file);
  }

  private static WorkloadData movieLens(Workload workload, Path directory, long seed)
      throws IOException {
    MovieLensLikeRatings ratings =
        new MovieLensLikeRatings(MovieLensLikeRatings.Config.movieLens100k(), seed);
    List<PairExample> examples = ratings.generate().train();
    PairDataset data = PairExample.toDataset(ratings.schema(), examples);
    Path file = directory.resolve(workload.name() + ".jsonl");
    JsonlWriter.writeAll(file, examples, false);
    return new WorkloadData(data, file);
  }
}
