package dev.o2v.core.prepare;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Tokenizes the text sides, builds or reads their vocabularies, trims pretrained vectors and maps
 * every row to ids; counts tokens and unknown tokens on the way.
 */
final class SideEncoder {

  private final PrepareOptions options;
  private final Tokenizer tokenizer;
  private final List<TextRow> rows;
  private final boolean[] fit;
  private final long[] tokens = new long[2];
  private final long[] unknown = new long[2];

  SideEncoder(PrepareOptions options, Tokenizer tokenizer, List<TextRow> rows, boolean[] fit) {
    this.options = options;
    this.tokenizer = tokenizer;
    this.rows = rows;
    this.fit = fit;
  }

  /** Both sides through one vocabulary, {@code vocab.json}, and one sequence length. */
  void encodeSharedText(
      int[][][] ids, SidePlan[] plans, List<PretrainedTrimmer.Result> pretrained,
      List<String> files) throws IOException {
    List<List<String>> t0 = tokenize(0);
    List<List<String>> t1 = tokenize(1);
    Vocabulary vocab;
    if (options.reusesVocabulary(0)) {
      vocab = Vocabulary.read(options.existingVocab().get(0).get(), Vocabulary.UNKNOWN_TOKEN);
    } else {
      TokenCounts counts = new TokenCounts();
      count(counts, t0);
      count(counts, t1);
      vocab = Vocabulary.build(counts, options.minCount(), options.maxVocab());
    }
    ids[0] = encode(0, t0, vocab);
    ids[1] = encode(1, t1, vocab);
    int maxSeqLen = Math.max(fittedLength(t0), fittedLength(t1));
    SidePlan plan = finish(vocab, "", maxSeqLen, 0, pretrained, files);
    plans[0] = plan;
    plans[1] = plan;
  }

  /** One side through its own vocabulary, {@code vocabSIDE.json}. */
  void encodeText(
      int side, int[][][] ids, SidePlan[] plans, List<PretrainedTrimmer.Result> pretrained,
      List<String> files) throws IOException {
    List<List<String>> t = tokenize(side);
    Vocabulary vocab;
    if (options.reusesVocabulary(side)) {
      vocab = Vocabulary.read(options.existingVocab().get(side).get(), Vocabulary.UNKNOWN_TOKEN);
    } else {
      TokenCounts counts = new TokenCounts();
      count(counts, t);
      vocab = Vocabulary.build(counts, options.minCount(), options.maxVocab());
    }
    ids[side] = encode(side, t, vocab);
    plans[side] =
        finish(vocab, Integer.toString(side), fittedLength(t), side, pretrained, files);
  }

  /** Token count per side. */
  List<Long> tokens() {
    return List.of(tokens[0], tokens[1]);
  }

  /** Tokens per side that mapped to the unknown id. */
  List<Long> unknownTokens() {
    return List.of(unknown[0], unknown[1]);
  }

  private SidePlan finish(
      Vocabulary vocab, String suffix, int maxSeqLen, int side,
      List<PretrainedTrimmer.Result> pretrained, List<String> files) throws IOException {
    String vocabFile = "vocab" + suffix + ".json";
    vocab.write(options.outDir().resolve(vocabFile));
    files.add(vocabFile);
    Optional<String> vectorsFile = Optional.empty();
    OptionalInt dim = OptionalInt.empty();
    if (options.pretrained().isPresent()) {
      String name = "pretrained" + suffix + ".txt";
      PretrainedTrimmer.Result r =
          PretrainedTrimmer.trim(options.pretrained().get(), vocab, options.outDir().resolve(name));
      pretrained.set(side, r);
      vectorsFile = Optional.of(name);
      dim = OptionalInt.of(r.dim());
      files.add(name);
    }
    return new SidePlan(
        ColumnKind.TEXT, vocab.size(), maxSeqLen, Optional.of(vocabFile), vectorsFile, dim);
  }

  private List<List<String>> tokenize(int side) {
    List<List<String>> out = new ArrayList<>(rows.size());
    for (TextRow row : rows) {
      List<String> t = tokenizer.tokenize(row.side(side));
      if (t.isEmpty()) {
        throw PrepareException.at(source(), row.line(), column(side) + " has no tokens");
      }
      out.add(t);
    }
    return out;
  }

  private void count(TokenCounts counts, List<List<String>> sequences) {
    for (int i = 0; i < sequences.size(); i++) {
      if (fit[i]) {
        counts.addAll(sequences.get(i));
      }
    }
  }

  private int[][] encode(int side, List<List<String>> sequences, Vocabulary vocab) {
    int[][] ids = new int[sequences.size()][];
    for (int i = 0; i < ids.length; i++) {
      List<String> t = sequences.get(i);
      ids[i] = vocab.encode(t);
      for (int k = 0; k < t.size(); k++) {
        if (!vocab.contains(t.get(k))) {
          if (ids[i][k] < 0) {
            throw PrepareException.at(source(), rows.get(i).line(), "token '" + t.get(k)
                + "' of " + column(side) + " is not in the vocabulary, which has no '"
                + Vocabulary.UNKNOWN_TOKEN + "' entry");
          }
          unknown[side]++;
        }
      }
      tokens[side] += t.size();
    }
    return ids;
  }

  private int fittedLength(List<List<String>> sequences) {
    int[] lengths = new int[sequences.size()];
    int n = 0;
    for (int i = 0; i < lengths.length; i++) {
      if (fit[i]) {
        lengths[n++] = sequences.get(i).size();
      }
    }
    return SequenceLengths.percentile99(Arrays.copyOf(lengths, n));
  }

  private Path source() {
    return options.table().file();
  }

  private String column(int side) {
    return (side == 0 ? options.table().in0() : options.table().in1()).describe();
  }
}
