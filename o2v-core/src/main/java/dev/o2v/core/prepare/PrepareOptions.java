package dev.o2v.core.prepare;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything {@code o2v prepare} was asked to do.
 *
 * @param table the input file and its columns
 * @param labelMap class names → indexes, if labels are names
 * @param task classification, regression, or decided from the labels
 * @param kinds what {@code in0} and {@code in1} hold (index 0 and 1), {@link ColumnKind#AUTO}
 *     to detect
 * @param sharedVocab one vocabulary for both text sides; empty means "yes when both sides are
 *     text"
 * @param existingVocab vocabulary files to reuse: index 0 for side 0, 1 for side 1 (the same file
 *     for a shared vocabulary)
 * @param lowercase lower-case text before tokenizing
 * @param minCount tokens seen fewer times map to the unknown token
 * @param maxVocab the most entries a built vocabulary may have, the unknown token included
 * @param tokenizer the tokenizer type
 * @param huggingFaceJson the Hugging Face definition, for that type
 * @param pretrained a GloVe-style file to trim to the vocabulary
 * @param split how rows are divided among output files
 * @param seed the seed of the split
 * @param outDir the output directory
 */
public record PrepareOptions(
    TableSpec table,
    Optional<LabelMap> labelMap,
    LabelTask task,
    List<ColumnKind> kinds,
    Optional<Boolean> sharedVocab,
    List<Optional<Path>> existingVocab,
    boolean lowercase,
    int minCount,
    int maxVocab,
    TokenizerDescription.Type tokenizer,
    Optional<String> huggingFaceJson,
    Optional<Path> pretrained,
    SplitPlan split,
    long seed,
    Path outDir) {

  /** The largest vocabulary the hyperparameters allow. */
  public static final int MAX_VOCAB_SIZE = 3_000_000;

  /** Checks the options against each other; messages name the options. */
  public PrepareOptions {
    Objects.requireNonNull(table, "table");
    Objects.requireNonNull(outDir, "outDir");
    kinds = List.copyOf(kinds);
    existingVocab = List.copyOf(existingVocab);
    if (kinds.size() != 2 || existingVocab.size() != 2) {
      throw new IllegalArgumentException("kinds and existingVocab need one entry per side");
    }
    if (minCount < 1) {
      throw new IllegalArgumentException("--min-count must be at least 1, found " + minCount);
    }
    if (maxVocab < 2 || maxVocab > MAX_VOCAB_SIZE) {
      throw new IllegalArgumentException(
          "--max-vocab must be in 2.." + MAX_VOCAB_SIZE + ", found " + maxVocab);
    }
    boolean reuse = existingVocab.stream().anyMatch(Optional::isPresent);
    if (reuse && (minCount != 1 || maxVocab != MAX_VOCAB_SIZE)) {
      throw new IllegalArgumentException(
          "--min-count and --max-vocab shape a new vocabulary; they do not apply with --vocab");
    }
    if (sharedVocab.equals(Optional.of(true))
        && existingVocab.get(0).isPresent() != existingVocab.get(1).isPresent()) {
      throw new IllegalArgumentException("a shared vocabulary is given with --vocab, not --vocab0"
          + " or --vocab1");
    }
    if ((tokenizer == TokenizerDescription.Type.HUGGING_FACE) != huggingFaceJson.isPresent()) {
      throw new IllegalArgumentException("the Hugging Face definition goes with that type only");
    }
  }

  /** Whether rows use a vocabulary file given by the user rather than one built here. */
  public boolean reusesVocabulary(int side) {
    return existingVocab.get(side).isPresent();
  }
}
