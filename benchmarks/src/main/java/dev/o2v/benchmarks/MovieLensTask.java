package dev.o2v.benchmarks;

import dev.o2v.core.data.DataSchema;
import dev.o2v.core.data.PairDataset;
import dev.o2v.core.hp.HyperparameterCodec;
import dev.o2v.core.hp.Hyperparameters;
import dev.o2v.core.synthetic.JsonlWriter;
import dev.o2v.core.synthetic.MovieLensLikeRatings;
import dev.o2v.core.synthetic.PairExample;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The rating task of {@link MovieLensAcceptance} as data and hyperparameters, for harnesses that
 * train it their own way: rank-2 MovieLens-100k-shaped ratings and SageMaker's movie settings
 * with {@code token_embedding_storage_type=row_sparse} and {@code weight_decay=0.02}.
 */
public final class MovieLensTask {

  private final MovieLensLikeRatings ratings;
  private final MovieLensLikeRatings.Split split;
  private final Hyperparameters hp;

  private MovieLensTask(MovieLensLikeRatings ratings, Hyperparameters hp) {
    this.ratings = ratings;
    this.split = ratings.generate();
    this.hp = hp;
  }

  /** The task drawn from {@code seed}, trained for {@code epochs}, with extra hyperparameters. */
  public static MovieLensTask create(long seed, int epochs, Map<String, Object> overrides) {
    MovieLensLikeRatings ratings =
        new MovieLensLikeRatings(MovieLensLikeRatings.Config.movieLens100k(2), seed);
    Map<String, Object> raw = MovieLensSettings.forTask(ratings.config());
    raw.put("epochs", epochs);
    raw.put("token_embedding_storage_type", "row_sparse");
    raw.put("weight_decay", 0.02);
    raw.putAll(overrides);
    return new MovieLensTask(ratings, HyperparameterCodec.parse(raw));
  }

  /** The resolved hyperparameters. */
  public Hyperparameters hp() {
    return hp;
  }

  /** The noise variance σ², the validation MSE of a perfect model. */
  public double noiseVariance() {
    return ratings.noiseVariance();
  }

  /** The training ratings. */
  public PairDataset train() {
    return dataset(split.train());
  }

  /** The held-out ratings. */
  public PairDataset validation() {
    return dataset(split.validation());
  }

  /** Writes train.jsonl, validation.jsonl and hp.json (canonical) to {@code dir}. */
  public void export(Path dir) throws IOException {
    Files.createDirectories(dir);
    JsonlWriter.writeAll(dir.resolve("train.jsonl"), split.train(), false);
    JsonlWriter.writeAll(dir.resolve("validation.jsonl"), split.validation(), false);
    Files.writeString(dir.resolve("hp.json"), HyperparameterCodec.toCanonicalJson(hp));
  }

  private PairDataset dataset(List<PairExample> examples) {
    return PairExample.toDataset(DataSchema.forTraining(hp), examples);
  }
}
