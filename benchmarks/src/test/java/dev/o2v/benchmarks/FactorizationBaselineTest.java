package dev.o2v.benchmarks;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.o2v.core.synthetic.MovieLensLikeRatings;
import dev.o2v.core.synthetic.MovieLensLikeRatings.Config;
import org.junit.jupiter.api.Test;

class FactorizationBaselineTest {

  /**
   * A small, dense, nearly noise-free rank-2 task: 200 users × 150 items, 60 ratings each; ids
   * count from 1, so the tables have one row more.
   */
  private static MovieLensLikeRatings task(double noiseStd) {
    return new MovieLensLikeRatings(
        new Config(200, 150, 12_000, 10, 60, 2, 3.5, 0.3, 0.4, 0.6, noiseStd), 11);
  }

  @Test
  void alsOfTheTrueRankRecoversANearlyNoiseFreeTask() {
    MovieLensLikeRatings ratings = task(0.01);
    MovieLensLikeRatings.Split split = ratings.generate();
    double mse = new FactorizationBaseline(201, 151, 2, 0.01)
        .fit(split.train(), 30, 3).meanSquaredError(split.validation());
    double meanOnly = FactorizationBaseline.globalMeanError(split.train(), split.validation());
    assertTrue(mse < 0.01 * meanOnly,
        "rank-2 ALS validation MSE " + mse + " vs global mean " + meanOnly);
  }

  @Test
  void biasesAloneMissTheInteractionThatTheFactorsCatch() {
    MovieLensLikeRatings ratings = task(0.3);
    MovieLensLikeRatings.Split split = ratings.generate();
    double biases = new FactorizationBaseline(201, 151, 0, 1)
        .fit(split.train(), 5, 3).meanSquaredError(split.validation());
    double factors = new FactorizationBaseline(201, 151, 2, 1)
        .fit(split.train(), 20, 3).meanSquaredError(split.validation());
    double sigma2 = ratings.noiseVariance();
    assertTrue(factors < 1.3 * sigma2, "rank-2 MSE " + factors + " vs sigma^2 " + sigma2);
    assertTrue(biases > factors + 0.1,
        "bias-only MSE " + biases + " should exceed rank-2 MSE " + factors);
  }
}
