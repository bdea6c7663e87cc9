package dev.o2v.core.prepare;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Class names → class indexes, from {@code --label-map entailment=0,neutral=1,contradiction=2}.
 * Names match ignoring case, so that map reads SICK's {@code ENTAILMENT}.
 */
public final class LabelMap {

  private final Map<String, Integer> classes;

  private LabelMap(Map<String, Integer> classes) {
    this.classes = classes;
  }

  /**
   * Parses {@code name=index,...}.
   *
   * @throws IllegalArgumentException for a malformed entry, a repeated name, an index outside
   *     0..29, or fewer than 2 classes
   */
  public static LabelMap parse(String text) {
    Map<String, Integer> classes = new LinkedHashMap<>();
    for (String entry : text.split(",", -1)) {
      int eq = entry.lastIndexOf('=');
      String name = eq < 0 ? "" : key(entry.substring(0, eq));
      String index = eq < 0 ? "" : entry.substring(eq + 1).strip();
      if (name.isEmpty() || !index.matches("[0-9]{1,2}")) {
        throw new IllegalArgumentException(
            "--label-map entries must be NAME=INDEX, found '" + entry.strip() + "'");
      }
      int value = Integer.parseInt(index);
      if (value >= 30) {
        throw new IllegalArgumentException(
            "--label-map indexes must be in 0..29 (num_classes ≤ 30), found " + value);
      }
      if (classes.put(name, value) != null) {
        throw new IllegalArgumentException("--label-map names '" + name + "' twice");
      }
    }
    LabelMap map = new LabelMap(classes);
    if (map.numClasses() < 2) {
      throw new IllegalArgumentException("--label-map needs at least 2 classes, found " + text);
    }
    return map;
  }

  /** The class index of {@code label}, if mapped. */
  public Optional<Integer> indexOf(String label) {
    return Optional.ofNullable(classes.get(key(label)));
  }

  /** One more than the largest index. */
  public int numClasses() {
    return classes.values().stream().mapToInt(Integer::intValue).max().orElse(-1) + 1;
  }

  /** The names as given (lower-cased), for messages. */
  public String names() {
    return String.join(", ", classes.keySet());
  }

  private static String key(String name) {
    return name.strip().toLowerCase(Locale.ROOT);
  }
}
