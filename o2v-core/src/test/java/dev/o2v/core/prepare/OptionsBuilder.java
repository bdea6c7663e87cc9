package dev.o2v.core.prepare;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Builds {@link PrepareOptions} for tests, with the command line's defaults. */
final class OptionsBuilder {

  Path input;
  TableFormat format = TableFormat.TSV;
  String in0 = "0";
  String in1 = "1";
  String label = "2";
  Optional<Boolean> header = Optional.empty();
  Optional<LabelMap> labelMap = Optional.empty();
  LabelTask task = LabelTask.AUTO;
  ColumnKind kind0 = ColumnKind.AUTO;
  ColumnKind kind1 = ColumnKind.AUTO;
  Optional<Boolean> shared = Optional.empty();
  Optional<Path> vocab0 = Optional.empty();
  Optional<Path> vocab1 = Optional.empty();
  boolean lowercase = true;
  int minCount = 1;
  int maxVocab = PrepareOptions.MAX_VOCAB_SIZE;
  Optional<Path> pretrained = Optional.empty();
  SplitPlan split = SplitPlan.TRAIN_ONLY;
  long seed = 42;
  Path out;

  OptionsBuilder(Path input, Path out) {
    this.input = input;
    this.out = out;
  }

  OptionsBuilder columns(String in0, String in1, String label) {
    this.in0 = in0;
    this.in1 = in1;
    this.label = label;
    return this;
  }

  OptionsBuilder vocab(Path file) {
    vocab0 = Optional.of(file);
    vocab1 = Optional.of(file);
    return this;
  }

  PrepareOptions build() {
    TableSpec table = new TableSpec(input, format, new ColumnRef("--in0", in0),
        new ColumnRef("--in1", in1), new ColumnRef("--label", label), header);
    return new PrepareOptions(table, labelMap, task, List.of(kind0, kind1), shared,
        List.of(vocab0, vocab1), lowercase, minCount, maxVocab, TokenizerDescription.Type.WORD,
        Optional.empty(), pretrained, split, seed, out);
  }

  PrepareResult run() throws java.io.IOException {
    return Preparer.run(build(), new WordTokenizer(lowercase));
  }
}
