package dev.o2v.core.prepare;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The labels of every row as JSON numbers, and the head they call for.
 *
 * @param classification true for class indexes (softmax), false for regression targets
 * @param numClasses number of classes; 0 for regression
 * @param json each row's label as JSON number text, in row order
 */
public record EncodedLabels(boolean classification, int numClasses, List<String> json) {

  private static final int MAX_CLASSES = 30;

  public EncodedLabels {
    json = List.copyOf(json);
  }

  /**
   * Encodes the label column.
   *
   * @param source the input file, for messages
   * @throws PrepareException naming the line of an unmapped label or a label that is not a
   *     finite number (or not a class index, for classification)
   * @throws IllegalArgumentException when a label map is combined with regression
   */
  public static EncodedLabels encode(
      List<TextRow> rows, Path source, Optional<LabelMap> map, LabelTask task) {
    if (map.isPresent()) {
      if (task == LabelTask.REGRESSION) {
        throw new IllegalArgumentException("--label-map names classes; it cannot go with "
            + "--task regression");
      }
      return mapped(rows, source, map.get());
    }
    boolean classes =
        task == LabelTask.CLASSIFICATION || (task == LabelTask.AUTO && looksLikeClasses(rows));
    if (classes) {
      return classIndexes(rows, source);
    }
    return new EncodedLabels(
        false, 0, rows.stream().map(row -> number(row, source).toPlainString()).toList());
  }

  private static EncodedLabels mapped(List<TextRow> rows, Path source, LabelMap map) {
    String[] json = new String[rows.size()];
    for (int i = 0; i < json.length; i++) {
      TextRow row = rows.get(i);
      Optional<Integer> index = map.indexOf(row.label());
      if (index.isEmpty()) {
        throw PrepareException.at(source, row.line(),
            "label '" + row.label() + "' is not in --label-map (" + map.names() + ")");
      }
      json[i] = Integer.toString(index.get());
    }
    return new EncodedLabels(true, map.numClasses(), List.of(json));
  }

  private static EncodedLabels classIndexes(List<TextRow> rows, Path source) {
    String[] json = new String[rows.size()];
    int max = -1;
    for (int i = 0; i < json.length; i++) {
      TextRow row = rows.get(i);
      if (!isClassIndex(row.label())) {
        throw PrepareException.at(source, row.line(), String.format(Locale.ROOT,
            "class label must be an integer in 0..%d (or use --label-map), found '%s'",
            MAX_CLASSES - 1, row.label()));
      }
      int value = Integer.parseInt(row.label());
      max = Math.max(max, value);
      json[i] = Integer.toString(value);
    }
    return new EncodedLabels(true, Math.max(2, max + 1), List.of(json));
  }

  private static boolean looksLikeClasses(List<TextRow> rows) {
    BitSet seen = new BitSet();
    for (TextRow row : rows) {
      if (!isClassIndex(row.label())) {
        return false;
      }
      seen.set(Integer.parseInt(row.label()));
    }
    int k = seen.cardinality();
    return k >= 2 && seen.nextClearBit(0) == k;
  }

  private static boolean isClassIndex(String label) {
    return label.matches("[0-9]{1,2}") && Integer.parseInt(label) < MAX_CLASSES;
  }

  private static BigDecimal number(TextRow row, Path source) {
    try {
      BigDecimal value = new BigDecimal(row.label());
      if (Double.isFinite(value.doubleValue())) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below with the line
    }
    throw PrepareException.at(source, row.line(),
        "label must be a finite number (or a class name listed in --label-map), found '"
            + row.label() + "'");
  }
}
