package dev.o2v.benchmarks;

import dev.o2v.core.data.DataSchema;
import dev.o2v.core.data.LabelKind;
import dev.o2v.core.data.SidePolicy;
import dev.o2v.core.synthetic.PairExample;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Generated document pairs with word-like ids: each id is a rank drawn from a Zipf law (the
 * probability of rank {@code r} is proportional to {@code 1/r}), so a few ids recur in every
 * batch and most of the vocabulary is rare, as in text. Lengths are uniform in {@code [minLength,
 * maxLength]} on each side. Ids start at 1 (id 0 is padding).
 *
 * <p>The labels carry no signal beyond the negatives: every generated pair is a positive (label
 * 1), and {@link #withNegatives} draws the negatives a trainer with {@code negative_sampling_rate}
 * would add, for a reader that samples none itself.
 */
final class ZipfDocuments {

  private final int vocab;
  private final int minLength;
  private final int maxLength;
  /** Cumulative probability of ranks 1..r at index r - 1. */
  private final double[] cumulative;

  ZipfDocuments(int vocab, int minLength, int maxLength) {
    if (vocab < 2 || minLength < 1 || maxLength < minLength) {
      throw new IllegalArgumentException(
          "need vocab >= 2 and 1 <= minLength <= maxLength, found " + vocab + ", " + minLength
              + ", " + maxLength);
    }
    this.vocab = vocab;
    this.minLength = minLength;
    this.maxLength = maxLength;
    this.cumulative = new double[vocab - 1];
    double sum = 0;
    for (int r = 1; r < vocab; r++) {
      sum += 1.0 / r;
      cumulative[r - 1] = sum;
    }
    for (int i = 0; i < cumulative.length; i++) {
      cumulative[i] /= sum;
    }
  }

  /** The schema of the generated records: two classes, both sides required. */
  DataSchema schema() {
    return new DataSchema(vocab, maxLength, vocab, maxLength, LabelKind.CLASS, 2,
        SidePolicy.BOTH_REQUIRED);
  }

  /** {@code count} positive pairs. */
  List<PairExample> generate(int count, SplittableRandom random) {
    List<PairExample> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      out.add(new PairExample(document(random), document(random), 1));
    }
    return out;
  }

  /**
   * Each positive followed by {@code rate} negatives: its {@code in0} with the {@code in1} of a
   * uniformly drawn other pair, labelled 0.
   */
  static List<PairExample> withNegatives(List<PairExample> positives, int rate,
      SplittableRandom random) {
    List<PairExample> out = new ArrayList<>(positives.size() * (1 + rate));
    for (int i = 0; i < positives.size(); i++) {
      PairExample p = positives.get(i);
      out.add(p);
      for (int k = 0; k < rate && positives.size() > 1; k++) {
        int other = random.nextInt(positives.size() - 1);
        other += other >= i ? 1 : 0;
        out.add(new PairExample(p.in0(), positives.get(other).in1(), 0));
      }
    }
    return out;
  }

  private int[] document(SplittableRandom random) {
    int[] ids = new int[minLength + random.nextInt(maxLength - minLength + 1)];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = rank(random.nextDouble());
    }
    return ids;
  }

  /** The rank (1-based) whose cumulative probability first exceeds {@code u}. */
  private int rank(double u) {
    int at = Arrays.binarySearch(cumulative, u);
    int index = at >= 0 ? at : -at - 1;
    return Math.min(index, cumulative.length - 1) + 1;
  }
}
