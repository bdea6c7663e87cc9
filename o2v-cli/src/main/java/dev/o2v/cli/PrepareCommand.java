package dev.o2v.cli;

import dev.o2v.core.io.BoundedText;
import dev.o2v.core.io.IoReasons;
import dev.o2v.core.prepare.ColumnKind;
import dev.o2v.core.prepare.ColumnRef;
import dev.o2v.core.prepare.LabelMap;
import dev.o2v.core.prepare.LabelTask;
import dev.o2v.core.prepare.PrepareException;
import dev.o2v.core.prepare.PrepareOptions;
import dev.o2v.core.prepare.PrepareResult;
import dev.o2v.core.prepare.Preparer;
import dev.o2v.core.prepare.SplitPlan;
import dev.o2v.core.prepare.TableFormat;
import dev.o2v.core.prepare.TableSpec;
import dev.o2v.core.prepare.Tokenizer;
import dev.o2v.core.prepare.TokenizerDescription;
import dev.o2v.core.prepare.WordTokenizer;
import dev.o2v.inference.text.HfTokenizer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code o2v prepare}: turns a table of text pairs into training data, vocabulary and hp.json. */
@Command(
    name = "prepare",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Tokenize a TSV/CSV/JSON Lines table of pairs into o2v training data.",
      "Writes <part>.jsonl, vocab.json (or vocab0/vocab1.json), tokenizer.json and hp.json;"
          + " pass the output directory to train as --aux."
    })
final class PrepareCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--input", required = true, paramLabel = "FILE", description = "Input table.")
  Path input;

  @Option(names = "--format", required = true, paramLabel = "tsv|csv|jsonl",
      description = "tsv: split at tabs, no quoting; csv: RFC 4180; jsonl: one object a line.")
  String format;

  @Option(names = "--in0", required = true, paramLabel = "COL",
      description = "Column of side 0: header name or 0-based index (jsonl: field name).")
  String in0;

  @Option(names = "--in1", required = true, paramLabel = "COL", description = "Column of side 1.")
  String in1;

  @Option(names = "--label", required = true, paramLabel = "COL", description = "Label column.")
  String label;

  @Option(names = "--label-map", paramLabel = "NAME=I,...",
      description = "Class names to indexes, matched ignoring case; unmapped labels are errors.")
  String labelMap;

  @Option(names = "--task", defaultValue = "auto", paramLabel = "auto|classification|regression",
      description = "auto: classes for a label map or labels exactly 0..k-1, else regression.")
  String task;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory.")
  Path out;

  @Option(names = "--overwrite",
      description = "Replace what --out holds, once this run has succeeded.")
  boolean overwrite;

  @Option(names = {"--header"}, negatable = true,
      description = "First row names the columns (default: when a column is given by name).")
  Boolean header;

  @Option(names = "--lowercase", description = "Lower-case text before tokenizing.")
  boolean lowercase;

  @Option(names = "--tokenizer", defaultValue = "word", paramLabel = "word|hf:FILE",
      description = "word (default): letter/digit runs and single symbols; hf:FILE: a Hugging"
          + " Face tokenizer.json.")
  String tokenizer;

  @Option(names = "--min-count", defaultValue = "1", paramLabel = "N",
      description = "Tokens seen fewer times map to <unk> (default: ${DEFAULT-VALUE}).")
  int minCount;

  @Option(names = "--max-vocab", paramLabel = "N",
      description = "At most N vocabulary entries, <unk> included.")
  Integer maxVocab;

  @Option(names = "--vocab", paramLabel = "FILE",
      description = "Reuse this vocabulary ({\"token\": id}) for the text side(s).")
  Path vocab;

  @Option(names = "--vocab0", paramLabel = "FILE", description = "Reuse a vocabulary for in0.")
  Path vocab0;

  @Option(names = "--vocab1", paramLabel = "FILE", description = "Reuse a vocabulary for in1.")
  Path vocab1;

  @Option(names = "--shared-vocab", negatable = true,
      description = "One vocabulary and tied token embeddings for both sides (default: when"
          + " both are text).")
  Boolean sharedVocab;

  @Option(names = "--ids", description = "Both columns hold integer ids (same as --in0-kind ids"
      + " --in1-kind ids).")
  boolean ids;

  @Option(names = "--in0-kind", defaultValue = "auto", paramLabel = "auto|text|ids",
      description = "auto: ids when every value is a non-negative integer.")
  String in0Kind;

  @Option(names = "--in1-kind", defaultValue = "auto", paramLabel = "auto|text|ids",
      description = "As --in0-kind, for in1.")
  String in1Kind;

  @Option(names = "--pretrained", paramLabel = "FILE",
      description = "GloVe-style vectors (token v1 ... vD) to trim to the vocabulary.")
  Path pretrained;

  @Option(names = "--split", paramLabel = "NAME=F,...",
      description = "e.g. train=0.9,validation=0.1 (parts: train, validation, test).")
  String split;

  @Option(names = "--seed", defaultValue = "42", description = "Seed of the split (default: 42).")
  long seed;

  @Override
  public Integer call() throws IOException {
    PrepareOptions checked = options(out);
    StagedOutputDirectory output = StagedOutputDirectory.begin("--out", out, overwrite, inputs());
    PrepareOptions options = options(output.staging());
    PrepareResult result;
    boolean done = false;
    try (Tokenizer tok = tokenizerFor(checked)) {
      result = Preparer.run(options, tok);
      output.commit();
      done = true;
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    } catch (IOException e) {
      throw new IOException(output.inTermsOfTarget(e.getMessage()), e);
    } finally {
      if (!done) {
        output.abort();
      }
    }
    PrintWriter w = spec.commandLine().getOut();
    result.describe().forEach(w::println);
    if (result.rows().containsKey("train")) {
      String validation = result.rows().containsKey("validation")
          ? " --validation " + out.resolve("validation.jsonl") : "";
      w.println("next: o2v train --hp " + out.resolve(Preparer.HP_FILE) + " --data "
          + out.resolve("train.jsonl") + validation + " --aux " + out + " --model-dir MODEL");
    }
    w.flush();
    return ExitCodes.OK;
  }

  /** Every file this run reads, so that --overwrite never deletes one of them. */
  private List<Path> inputs() {
    List<Path> files = new java.util.ArrayList<>();
    for (Path p : new Path[] {input, vocab, vocab0, vocab1, pretrained}) {
      if (p != null) {
        files.add(p);
      }
    }
    if (tokenizer.startsWith("hf:")) {
      files.add(Path.of(tokenizer.substring(3)));
    }
    return files;
  }

  private PrepareOptions options(Path outDir) throws IOException {
    try {
      TableSpec table = new TableSpec(input, TableFormat.parse(format), new ColumnRef("--in0", in0),
          new ColumnRef("--in1", in1), new ColumnRef("--label", label),
          Optional.ofNullable(header));
      if (vocab != null && (vocab0 != null || vocab1 != null)) {
        throw new IllegalArgumentException("give --vocab or --vocab0/--vocab1, not both");
      }
      ColumnKind kind0 = ids ? ColumnKind.IDS : ColumnKind.parse(in0Kind);
      ColumnKind kind1 = ids ? ColumnKind.IDS : ColumnKind.parse(in1Kind);
      boolean hf = tokenizer.startsWith("hf:");
      if (!hf && !tokenizer.equals("word")) {
        throw new IllegalArgumentException(
            "--tokenizer must be word or hf:FILE, found '" + tokenizer + "'");
      }
      return new PrepareOptions(
          table,
          Optional.ofNullable(labelMap).map(LabelMap::parse),
          LabelTask.parse(task),
          List.of(kind0, kind1),
          Optional.ofNullable(sharedVocab),
          List.of(Optional.ofNullable(vocab != null ? vocab : vocab0),
              Optional.ofNullable(vocab != null ? vocab : vocab1)),
          lowercase,
          minCount,
          maxVocab == null ? PrepareOptions.MAX_VOCAB_SIZE : maxVocab,
          hf ? TokenizerDescription.Type.HUGGING_FACE : TokenizerDescription.Type.WORD,
          hf ? Optional.of(readHfFile(Path.of(tokenizer.substring(3)))) : Optional.empty(),
          Optional.ofNullable(pretrained),
          split == null ? SplitPlan.TRAIN_ONLY : SplitPlan.parse(split),
          seed,
          outDir);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
  }

  private static String readHfFile(Path file) {
    try {
      return BoundedText.readUtf8(file, TokenizerDescription.MAX_FILE_BYTES);
    } catch (IOException e) {
      throw new PrepareException(file + ": cannot read tokenizer: " + IoReasons.of(e), e);
    }
  }

  private Tokenizer tokenizerFor(PrepareOptions options) {
    return options.tokenizer() == TokenizerDescription.Type.HUGGING_FACE
        ? HfTokenizer.fromJson(
            options.huggingFaceJson().orElseThrow(), options.lowercase(), tokenizer.substring(3))
        : new WordTokenizer(options.lowercase());
  }
}
