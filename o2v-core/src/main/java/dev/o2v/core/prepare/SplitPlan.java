package dev.o2v.core.prepare;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * How rows are divided among the output files, from {@code --split train=0.9,validation=0.1}.
 *
 * <p>Rows are shuffled with the seeded random source, then the first {@code round(n·f1)} go to
 * the first part, the next {@code round(n·(f1+f2)) − round(n·f1)} to the second, and so on, so
 * the counts always add up to {@code n}. Inside each part rows keep their input order.
 *
 * @param parts part name ({@code train}, {@code validation} or {@code test}) → fraction
 */
public record SplitPlan(Map<String, Double> parts) {

  /** The names a part may have: the channels of a training job. */
  public static final List<String> NAMES = List.of("train", "validation", "test");

  /** Everything goes to {@code train}. */
  public static final SplitPlan TRAIN_ONLY = new SplitPlan(Map.of("train", 1.0));

  public SplitPlan {
    parts = Collections.unmodifiableMap(new LinkedHashMap<>(parts));
  }

  /**
   * Parses {@code name=fraction,...}.
   *
   * @throws IllegalArgumentException for an unknown or repeated name, a fraction outside (0, 1],
   *     or fractions that do not add up to 1
   */
  public static SplitPlan parse(String text) {
    Map<String, Double> parts = new LinkedHashMap<>();
    double sum = 0;
    for (String entry : text.split(",", -1)) {
      String[] kv = entry.split("=", -1);
      String name = kv.length == 2 ? kv[0].strip().toLowerCase(Locale.ROOT) : "";
      if (!NAMES.contains(name)) {
        throw new IllegalArgumentException(
            "--split entries must be NAME=FRACTION with NAME one of " + NAMES + ", found '"
                + entry.strip() + "'");
      }
      double fraction;
      try {
        fraction = Double.parseDouble(kv[1].strip());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--split fraction of " + name + " must be a number,"
            + " found '" + kv[1].strip() + "'", e);
      }
      if (!(fraction > 0 && fraction <= 1)) {
        throw new IllegalArgumentException(
            "--split fraction of " + name + " must be in (0, 1], found " + kv[1].strip());
      }
      if (parts.put(name, fraction) != null) {
        throw new IllegalArgumentException("--split names '" + name + "' twice");
      }
      sum += fraction;
    }
    if (Math.abs(sum - 1) > 1e-6) {
      throw new IllegalArgumentException(
          String.format(Locale.ROOT, "--split fractions must add up to 1, found %.6g", sum));
    }
    return new SplitPlan(parts);
  }

  /** The part names in the order given. */
  public List<String> names() {
    return new ArrayList<>(parts.keySet());
  }

  /**
   * Which part (index into {@link #names()}) each of {@code n} rows goes to.
   *
   * @throws IllegalArgumentException when a part would get no row (an empty channel cannot be
   *     trained or scored on); the message names the part
   */
  public int[] assign(int n, SplittableRandom random) {
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    int[] part = new int[n];
    double cumulative = 0;
    int start = 0;
    List<Double> fractions = new ArrayList<>(parts.values());
    for (int p = 0; p < fractions.size(); p++) {
      cumulative += fractions.get(p);
      int end = p == fractions.size() - 1 ? n : (int) Math.round(n * cumulative);
      for (int k = start; k < end; k++) {
        part[order[k]] = p;
      }
      if (end <= start) {
        throw new IllegalArgumentException(String.format(Locale.ROOT,
            "--split leaves part '%s' empty: %s of %d rows rounds to none; give it a larger"
                + " fraction or leave it out", names().get(p), fractions.get(p), n));
      }
      start = Math.max(start, end);
    }
    return part;
  }
}
