package dev.o2v.core.synthetic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MovieLensLikeRatingsTest {

  private static final MovieLensLikeRatings MODEL =
      new MovieLensLikeRatings(MovieLensLikeRatings.Config.movieLens100k(), 17);
  private static final MovieLensLikeRatings.Split SPLIT = MODEL.generate();

  @Test
  void hasMovieLensUaSplitSizes() {
    assertEquals(90_570, SPLIT.train().size());
    assertEquals(9_430, SPLIT.validation().size());
  }

  @Test
  void pairsAreDistinctAndEveryUserHoldsOutTen() {
    Set<Long> pairs = new HashSet<>();
    int[] heldOut = new int[943];
    int[] trained = new int[943];
    for (List<PairExample> part : List.of(SPLIT.train(), SPLIT.validation())) {
      for (PairExample e : part) {
        int u = e.in0()[0] - 1;
        int i = e.in1()[0] - 1;
        assertTrue(u >= 0 && u < 943 && i >= 0 && i < 1682, "ids numbered from 1: " + u + ", " + i);
        assertTrue(pairs.add((long) u * 1682 + i), "pair rated twice: " + u + ", " + i);
        (part == SPLIT.validation() ? heldOut : trained)[u]++;
      }
    }
    for (int u = 0; u < 943; u++) {
      assertEquals(10, heldOut[u], "held out for user " + u);
      assertTrue(trained[u] >= 10, "training ratings of user " + u + ": " + trained[u]);
    }
  }

  @Test
  void residualsAroundTheHiddenModelHaveTheStatedNoiseVariance() {
    double squares = 0;
    for (PairExample e : SPLIT.train()) {
      double d = e.label() - MODEL.expectedRating(e.in0()[0], e.in1()[0]);
      squares += d * d;
    }
    double mse = squares / SPLIT.train().size();
    assertEquals(0.64, MODEL.noiseVariance(), 1e-12);
    assertEquals(MODEL.noiseVariance(), mse, 0.02, "residual variance");
  }

  @Test
  void theHiddenModelExplainsARealShareOfTheVariance() {
    double sum = 0;
    for (PairExample e : SPLIT.train()) {
      sum += e.label();
    }
    double mean = sum / SPLIT.train().size();
    double squares = 0;
    for (PairExample e : SPLIT.train()) {
      squares += (e.label() - mean) * (e.label() - mean);
    }
    double variance = squares / SPLIT.train().size();
    assertTrue(variance > MODEL.noiseVariance() + 0.4,
        "label variance " + variance + " barely above the noise " + MODEL.noiseVariance());
  }

  @Test
  void sameSeedSameRatings() {
    MovieLensLikeRatings.Split again =
        new MovieLensLikeRatings(MovieLensLikeRatings.Config.movieLens100k(), 17).generate();
    for (int k = 0; k < 100; k++) {
      assertEquals(SPLIT.train().get(k).label(), again.train().get(k).label());
      assertEquals(SPLIT.train().get(k).in1()[0], again.train().get(k).in1()[0]);
    }
  }

  @Test
  void signalVarianceStaysNearPointSixFiveAtEveryRank() {
    for (int rank : new int[] {1, 2, 8, 32}) {
      MovieLensLikeRatings model =
          new MovieLensLikeRatings(MovieLensLikeRatings.Config.movieLens100k(rank), 5);
      double sum = 0;
      double squares = 0;
      int n = 0;
      for (int u = 0; u < 943; u += 3) {
        for (int i = 0; i < 1682; i += 5) {
          double r = model.expectedRating(u + 1, i + 1);
          sum += r;
          squares += r * r;
          n++;
        }
      }
      double variance = squares / n - (sum / n) * (sum / n);
      assertTrue(variance > 0.5 && variance < 0.8,
          "rank " + rank + ": noise-free rating variance " + variance + ", expected about 0.65");
    }
  }
}
