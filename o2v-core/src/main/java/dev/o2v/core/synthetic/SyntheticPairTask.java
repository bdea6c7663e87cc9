package dev.o2v.core.synthetic;

import dev.o2v.core.data.DataSchema;
import dev.o2v.core.data.LabelKind;
import dev.o2v.core.data.SidePolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * A small, learnable sequence-pair task: do two token sequences share a hidden topic?
 *
 * <p>Id 0 is padding, as in SageMaker, and never generated. Ids {@code [1, 1 + sharedTokens)} are
 * shared filler; the rest of the vocabulary is split into {@code topics} equal ranges. A sequence about topic {@code t} has a uniform length in {@code
 * [minLength, maxLength]}, and each token comes from topic {@code t}'s range with probability
 * {@code topicTokenShare}, else from the filler. Classification: label 1 when both sides have the
 * same topic, 0 otherwise. Regression: {@code in1} mixes {@code in0}'s topic with one other topic
 * in a random proportion, and the label is 5 times the fraction of {@code in1}'s tokens that belong
 * to {@code in0}'s topic, a value in [0, 5].
 *
 * <p>Any encoder that can tell which token ranges a sequence uses (a mean of embeddings, a
 * convolution with max pooling, a BiLSTM) can learn it; with the defaults the error comes only
 * from the rare sequences whose few tokens are all filler.
 */
public final class SyntheticPairTask {

  /**
   * Generator settings.
   *
   * @param vocabSize ids are in {@code [1, vocabSize)}
   * @param topics number of hidden topics (at least 2)
   * @param sharedTokens filler ids {@code [1, 1 + sharedTokens)} used by every topic
   * @param minLength shortest sequence
   * @param maxLength longest sequence
   * @param topicTokenShare probability that a token comes from the topic's range
   * @param positiveShare probability of label 1 (classification)
   * @param regression generate the regression variant
   */
  public record Config(
      int vocabSize,
      int topics,
      int sharedTokens,
      int minLength,
      int maxLength,
      double topicTokenShare,
      double positiveShare,
      boolean regression) {

    /** Checks that every topic owns at least one id and lengths are sane. */
    public Config {
      if (topics < 2 || sharedTokens < 0 || vocabSize - FIRST_ID - sharedTokens < topics) {
        throw new IllegalArgumentException(String.format(Locale.ROOT,
            "need topics >= 2 and at least one id per topic, found vocab %d, shared %d, topics %d",
            vocabSize, sharedTokens, topics));
      }
      if (minLength < 1 || maxLength < minLength) {
        throw new IllegalArgumentException(
            "need 1 <= minLength <= maxLength, found " + minLength + ".." + maxLength);
      }
      if (!(topicTokenShare > 0 && topicTokenShare <= 1 && positiveShare >= 0
          && positiveShare <= 1)) {
        throw new IllegalArgumentException("shares must be probabilities");
      }
    }

    /** Vocabulary 1000, 10 topics, 100 filler ids, lengths 3..20, 70% topic tokens, balanced. */
    public static Config classification() {
      return new Config(1000, 10, 100, 3, 20, 0.7, 0.5, false);
    }

    /** The default settings with the regression label. */
    public static Config regressionVariant() {
      return new Config(1000, 10, 100, 3, 20, 0.7, 0.5, true);
    }
  }

  /** The smallest generated id: 0 is padding. */
  private static final int FIRST_ID = 1;

  private final Config config;
  private final int topicWidth;

  /** A generator with the given settings. */
  public SyntheticPairTask(Config config) {
    this.config = config;
    this.topicWidth = (config.vocabSize() - FIRST_ID - config.sharedTokens()) / config.topics();
  }

  /** The settings. */
  public Config config() {
    return config;
  }

  /** The schema the generated records satisfy (both sides alike). */
  public DataSchema schema() {
    boolean regression = config.regression();
    return new DataSchema(config.vocabSize(), config.maxLength(), config.vocabSize(),
        config.maxLength(), regression ? LabelKind.REGRESSION : LabelKind.CLASS,
        regression ? 0 : 2, SidePolicy.BOTH_REQUIRED);
  }

  /** The topic whose range holds {@code token}, or -1 for filler and leftover ids. */
  public int topicOf(int token) {
    if (token < FIRST_ID + config.sharedTokens()) {
      return -1;
    }
    int topic = (token - FIRST_ID - config.sharedTokens()) / topicWidth;
    return topic < config.topics() ? topic : -1;
  }

  /** {@code count} independent examples. */
  public List<PairExample> generate(int count, SplittableRandom rng) {
    List<PairExample> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      out.add(next(rng));
    }
    return out;
  }

  /** One example. */
  public PairExample next(SplittableRandom rng) {
    int topic0 = rng.nextInt(config.topics());
    int other = otherTopic(topic0, rng);
    int[] in0 = sequence(topic0, topic0, 1.0, rng);
    if (config.regression()) {
      double mix = rng.nextDouble();
      int[] in1 = sequence(topic0, other, mix, rng);
      return new PairExample(in0, in1, 5.0 * shareOfTopic(in1, topic0));
    }
    boolean positive = rng.nextDouble() < config.positiveShare();
    int[] in1 = sequence(positive ? topic0 : other, 0, 1.0, rng);
    return new PairExample(in0, in1, positive ? 1 : 0);
  }

  private int otherTopic(int topic, SplittableRandom rng) {
    int t = rng.nextInt(config.topics() - 1);
    return t >= topic ? t + 1 : t;
  }

  /** Topic tokens come from {@code main} with probability {@code mainShare}, else {@code alt}. */
  private int[] sequence(int main, int alt, double mainShare, SplittableRandom rng) {
    int length = config.minLength() + rng.nextInt(config.maxLength() - config.minLength() + 1);
    int[] ids = new int[length];
    for (int k = 0; k < length; k++) {
      if (config.sharedTokens() == 0 || rng.nextDouble() < config.topicTokenShare()) {
        int topic = rng.nextDouble() < mainShare ? main : alt;
        ids[k] = FIRST_ID + config.sharedTokens() + topic * topicWidth + rng.nextInt(topicWidth);
      } else {
        ids[k] = FIRST_ID + rng.nextInt(config.sharedTokens());
      }
    }
    return ids;
  }

  private double shareOfTopic(int[] ids, int topic) {
    int hits = 0;
    for (int id : ids) {
      hits += topicOf(id) == topic ? 1 : 0;
    }
    return hits / (double) ids.length;
  }
}
