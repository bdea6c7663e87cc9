package dev.o2v.core.prepare;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What prepare wrote, for the summary it prints.
 *
 * @param rows rows per output part, in split order
 * @param sides the plan of each side
 * @param shared whether the sides share one vocabulary
 * @param labels the encoded labels
 * @param tokens token count per side over all rows
 * @param unknownTokens tokens per side that mapped to the unknown id
 * @param pretrained per side, the trim result or null
 * @param files the files written, relative to the output directory
 */
public record PrepareResult(
    Map<String, Integer> rows,
    List<SidePlan> sides,
    boolean shared,
    EncodedLabels labels,
    List<Long> tokens,
    List<Long> unknownTokens,
    List<PretrainedTrimmer.Result> pretrained,
    List<String> files) {

  /** Human-readable lines, one fact each. */
  public List<String> describe() {
    List<String> lines = new ArrayList<>();
    List<String> parts = new ArrayList<>();
    rows.forEach((name, n) -> parts.add(name + " " + n));
    lines.add("rows: " + String.join(", ", parts));
    for (int side = 0; side < 2; side++) {
      SidePlan plan = sides.get(side);
      String line = String.format(Locale.ROOT, "in%d: %s, vocab_size %d, max_seq_len %d",
          side, plan.kind().key(), plan.vocabSize(), plan.maxSeqLen());
      if (plan.kind() == ColumnKind.TEXT && tokens.get(side) > 0) {
        line += String.format(Locale.ROOT, ", %d tokens, %.2f%% unknown", tokens.get(side),
            100.0 * unknownTokens.get(side) / tokens.get(side));
      }
      PretrainedTrimmer.Result p = pretrained.get(side);
      if (p != null) {
        line += String.format(Locale.ROOT, ", pretrained vectors (dim %d) for %d of %d tokens",
            p.dim(), p.found(), p.vocabularyTokens());
      }
      lines.add(line);
    }
    lines.add(shared ? "vocabulary shared by both sides (tied token embeddings)"
        : "separate encoders and vocabularies");
    lines.add(labels.classification()
        ? "labels: " + labels.numClasses() + " classes (softmax)"
        : "labels: regression (mean_squared_error)");
    lines.add("wrote: " + String.join(", ", files));
    return lines;
  }
}
