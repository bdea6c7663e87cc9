package dev.o2v.core.synthetic;

import dev.o2v.core.data.DataSchema;
import dev.o2v.core.data.LabelKind;
import dev.o2v.core.data.SidePolicy;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * Synthetic ratings shaped like MovieLens 100k, from a known low-rank model.
 *
 * <p>{@code rating(u, i) = mean + b_u + b_i + p_u · q_i + noise}, with Gaussian biases, Gaussian
 * factors of rank {@code rank} and Gaussian noise of variance {@code noiseStd²}. The noise
 * variance is the lowest mean squared error any model can reach, so it is the yardstick for a
 * trained model. Ratings are left continuous (not rounded) so that yardstick is exact.
 *
 * <p>Every user rates at least {@code minPerUser} distinct items; the remaining ratings fall on
 * uniformly drawn unrated (user, item) pairs. Validation holds out {@code heldOutPerUser} random
 * ratings of each user, as MovieLens' {@code ua} split does: 100,000 ratings of 943 users with 10
 * held out each give 90,570 training and 9,430 validation ratings. Records are {@code {"label": r,
 * "in0": [user], "in1": [item]}} with ids numbered from 1, as MovieLens numbers them (id 0 is
 * padding), so the vocabularies are one larger than the counts: 944 and 1,683 for 100k's shape.
 */
public final class MovieLensLikeRatings {

  /**
   * Model and sampling settings.
   *
   * @param users number of users (vocabulary of side 0)
   * @param items number of items (vocabulary of side 1)
   * @param ratings total ratings before the split
   * @param heldOutPerUser validation ratings per user
   * @param minPerUser ratings every user has at least
   * @param rank factor dimension
   * @param globalMean mean rating
   * @param userBiasStd standard deviation of user biases
   * @param itemBiasStd standard deviation of item biases
   * @param factorStd standard deviation of each factor entry
   * @param noiseStd standard deviation of the rating noise
   */
  public record Config(
      int users,
      int items,
      int ratings,
      int heldOutPerUser,
      int minPerUser,
      int rank,
      double globalMean,
      double userBiasStd,
      double itemBiasStd,
      double factorStd,
      double noiseStd) {

    /** Checks that the requested ratings fit and every user keeps training ratings. */
    public Config {
      if (users < 1 || items < 1 || rank < 1) {
        throw new IllegalArgumentException("users, items and rank must be >= 1");
      }
      if (minPerUser <= heldOutPerUser || minPerUser > items) {
        throw new IllegalArgumentException(String.format(Locale.ROOT,
            "need heldOutPerUser < minPerUser <= items, found %d, %d, %d",
            heldOutPerUser, minPerUser, items));
      }
      long cells = (long) users * items;
      if (cells > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("users * items must fit in an int, found " + cells);
      }
      if (ratings < (long) users * minPerUser || ratings > cells) {
        throw new IllegalArgumentException(String.format(Locale.ROOT,
            "ratings must be in [%d, %d], found %d", (long) users * minPerUser, cells, ratings));
      }
    }

    /**
     * MovieLens 100k's shape: 943 users, 1,682 items, 100,000 ratings, 10 held out per user,
     * rank 8, signal variance about 0.65 and noise variance 0.64 (total about 1.29, close to the
     * real data's rating variance).
     */
    public static Config movieLens100k() {
      return movieLens100k(8);
    }

    /**
     * MovieLens 100k's shape with factors of rank {@code rank}, scaled so that the interaction
     * term {@code p_u · q_i} keeps a variance of 0.4 whatever the rank ({@code rank · std⁴ = 0.4}).
     *
     * <p>The rank decides how close to σ² any model can get from 90,570 ratings: each user and
     * item contributes {@code rank + 1} unknowns estimated from about 96 and 54 noisy ratings.
     * On this split a true-rank ALS factorisation reaches about 1.09 σ² at rank 2 and 1.33 σ² at
     * rank 8.
     */
    public static Config movieLens100k(int rank) {
      if (rank < 1) {
        throw new IllegalArgumentException("rank must be >= 1, found " + rank);
      }
      double factorStd = Math.pow(0.4 / rank, 0.25);
      return new Config(943, 1682, 100_000, 10, 20, rank, 3.5, 0.3, 0.4, factorStd, 0.8);
    }
  }

  /**
   * The generated split.
   *
   * @param train training ratings, shuffled
   * @param validation held-out ratings, shuffled
   */
  public record Split(List<PairExample> train, List<PairExample> validation) {}

  private final Config config;
  private final double[] userBias;
  private final double[] itemBias;
  private final double[][] userFactors;
  private final double[][] itemFactors;
  private final long seed;

  /** Draws the hidden model from {@code seed}. */
  public MovieLensLikeRatings(Config config, long seed) {
    this.config = config;
    this.seed = seed;
    Random gaussian = new Random(seed);
    userBias = gaussians(config.users(), config.userBiasStd(), gaussian);
    itemBias = gaussians(config.items(), config.itemBiasStd(), gaussian);
    userFactors = new double[config.users()][];
    for (int u = 0; u < config.users(); u++) {
      userFactors[u] = gaussians(config.rank(), config.factorStd(), gaussian);
    }
    itemFactors = new double[config.items()][];
    for (int i = 0; i < config.items(); i++) {
      itemFactors[i] = gaussians(config.rank(), config.factorStd(), gaussian);
    }
  }

  /** The settings. */
  public Config config() {
    return config;
  }

  /** The noise variance σ², the best mean squared error any model can reach. */
  public double noiseVariance() {
    return config.noiseStd() * config.noiseStd();
  }

  /** The noise-free rating of user id {@code userId} for item id {@code itemId} (both from 1). */
  public double expectedRating(int userId, int itemId) {
    int u = userId - 1;
    int i = itemId - 1;
    double dot = 0;
    for (int k = 0; k < config.rank(); k++) {
      dot += userFactors[u][k] * itemFactors[i][k];
    }
    return config.globalMean() + userBias[u] + itemBias[i] + dot;
  }

  /** The schema of the records: users on side 0, items on side 1, regression labels. */
  public DataSchema schema() {
    return new DataSchema(config.users() + 1, 1, config.items() + 1, 1, LabelKind.REGRESSION, 0,
        SidePolicy.BOTH_REQUIRED);
  }

  /** Samples the rated pairs, their noisy ratings and the per-user validation hold-out. */
  public Split generate() {
    SplittableRandom rng = new SplittableRandom(seed ^ 0x5DEECE66DL);
    BitSet rated = ratedPairs(rng);
    Random noise = new Random(seed + 1);
    List<PairExample> train = new ArrayList<>();
    List<PairExample> validation = new ArrayList<>();
    int items = config.items();
    for (int u = 0; u < config.users(); u++) {
      List<Integer> mine = new ArrayList<>();
      for (int c = rated.nextSetBit(u * items); c >= 0 && c < (u + 1) * items;
          c = rated.nextSetBit(c + 1)) {
        mine.add(c - u * items);
      }
      Collections.shuffle(mine, new Random(rng.nextLong()));
      for (int k = 0; k < mine.size(); k++) {
        int item = mine.get(k);
        double r = expectedRating(u + 1, item + 1) + config.noiseStd() * noise.nextGaussian();
        PairExample e = new PairExample(new int[] {u + 1}, new int[] {item + 1}, r);
        (k < config.heldOutPerUser() ? validation : train).add(e);
      }
    }
    Collections.shuffle(train, new Random(rng.nextLong()));
    Collections.shuffle(validation, new Random(rng.nextLong()));
    return new Split(train, validation);
  }

  /** {@code minPerUser} distinct items per user, then uniform unrated cells up to the total. */
  private BitSet ratedPairs(SplittableRandom rng) {
    int items = config.items();
    BitSet rated = new BitSet(config.users() * items);
    int count = 0;
    for (int u = 0; u < config.users(); u++) {
      for (int k = 0; k < config.minPerUser(); ) {
        int cell = u * items + rng.nextInt(items);
        if (!rated.get(cell)) {
          rated.set(cell);
          k++;
          count++;
        }
      }
    }
    int cells = config.users() * items;
    while (count < config.ratings()) {
      int cell = rng.nextInt(cells);
      if (!rated.get(cell)) {
        rated.set(cell);
        count++;
      }
    }
    return rated;
  }

  private static double[] gaussians(int n, double std, Random rng) {
    double[] out = new double[n];
    for (int k = 0; k < n; k++) {
      out[k] = std * rng.nextGaussian();
    }
    return out;
  }
}
