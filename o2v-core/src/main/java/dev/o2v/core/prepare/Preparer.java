package dev.o2v.core.prepare;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@code o2v prepare}: reads the table, encodes labels, decides what each side holds,
 * tokenizes, builds or reuses vocabularies, splits the rows and writes the output directory.
 *
 * <p>Output: {@code <part>.jsonl} per split part, {@code vocab.json} (shared) or {@code
 * vocab0.json}/{@code vocab1.json} for text sides, {@value TokenizerDescription#FILE_NAME},
 * optional trimmed pretrained vectors, and {@code hp.json}. Vocabularies are built from the
 * {@code train} part only (from every row when the split has no train part), so validation and
 * test see unknown tokens as new data would; {@code max_seq_len} is taken from the same rows.
 */
public final class Preparer {

  /** The hyperparameter file name in the output directory. */
  public static final String HP_FILE = "hp.json";

  private static final Logger LOG = LoggerFactory.getLogger(Preparer.class);
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final PrepareOptions options;
  private final Tokenizer tokenizer;
  private final Path source;
  private final List<String> files = new ArrayList<>();

  private Preparer(PrepareOptions options, Tokenizer tokenizer) {
    this.options = options;
    this.tokenizer = tokenizer;
    this.source = options.table().file();
  }

  /**
   * Prepares the data described by {@code options}.
   *
   * @param tokenizer the tokenizer of {@code options.tokenizer()}, lower-casing as asked
   * @throws PrepareException for bad input, naming file and line
   * @throws IllegalArgumentException when options contradict what the data holds
   */
  public static PrepareResult run(PrepareOptions options, Tokenizer tokenizer) throws IOException {
    return new Preparer(options, tokenizer).run();
  }

  private PrepareResult run() throws IOException {
    List<TextRow> rows = TableReader.read(options.table());
    if (rows.isEmpty()) {
      throw new PrepareException(source + ": no data rows");
    }
    EncodedLabels labels =
        EncodedLabels.encode(rows, source, options.labelMap(), options.task());
    ColumnKind[] kinds = {kindOf(rows, 0), kindOf(rows, 1)};
    boolean shared = shared(kinds);
    int[] part = options.split().assign(rows.size(), new SplittableRandom(options.seed()));
    boolean[] fit = fitRows(part);
    Files.createDirectories(options.outDir());

    SideEncoder encoder = new SideEncoder(options, tokenizer, rows, fit);
    int[][][] ids = new int[2][][];
    SidePlan[] plans = new SidePlan[2];
    List<PretrainedTrimmer.Result> pretrained = Arrays.asList(null, null);
    if (shared && kinds[0] == ColumnKind.TEXT) {
      encoder.encodeSharedText(ids, plans, pretrained, files);
    } else {
      for (int side = 0; side < 2; side++) {
        if (kinds[side] == ColumnKind.IDS) {
          ids[side] = IdColumn.parse(rows, side, source, column(side));
        } else {
          encoder.encodeText(side, ids, plans, pretrained, files);
        }
      }
      sizeIdSides(kinds, shared, ids, plans);
    }
    if (options.pretrained().isPresent() && pretrained.stream().allMatch(p -> p == null)) {
      throw new IllegalArgumentException("--pretrained needs a text column; both are ids");
    }
    files.addAll(0, RecordFiles.write(
        options.outDir(), options.split().names(), part, ids[0], ids[1], labels.json()));
    writeTokenizer(kinds);
    writeHyperparameters(plans, shared, labels);
    Map<String, Integer> counts = new LinkedHashMap<>();
    List<String> names = options.split().names();
    names.forEach(n -> counts.put(n, 0));
    for (int p : part) {
      counts.merge(names.get(p), 1, Integer::sum);
    }
    return new PrepareResult(counts, List.of(plans), shared, labels, encoder.tokens(),
        encoder.unknownTokens(), pretrained, List.copyOf(files));
  }

  private ColumnKind kindOf(List<TextRow> rows, int side) {
    ColumnKind asked = options.kinds().get(side);
    if (asked != ColumnKind.AUTO) {
      return asked;
    }
    ColumnKind kind = IdColumn.allIds(rows, side) ? ColumnKind.IDS : ColumnKind.TEXT;
    LOG.info("{} holds {}", column(side), kind == ColumnKind.IDS ? "integer ids" : "text");
    return kind;
  }

  private boolean shared(ColumnKind[] kinds) {
    if (options.sharedVocab().orElse(false) && kinds[0] != kinds[1]) {
      throw new IllegalArgumentException(String.format(
          "--shared-vocab needs both columns of one kind; in0 holds %s, in1 holds %s",
          kinds[0].key(), kinds[1].key()));
    }
    // One file for both sides (--vocab) applies to the text side; a per-side file must fit.
    boolean perSide = !options.existingVocab().get(0).equals(options.existingVocab().get(1));
    for (int side = 0; side < 2; side++) {
      if (kinds[side] == ColumnKind.IDS && perSide && options.reusesVocabulary(side)) {
        throw new IllegalArgumentException(
            "a vocabulary was given for " + column(side) + ", which holds ids, not text");
      }
    }
    return options.sharedVocab().orElse(kinds[0] == ColumnKind.TEXT && kinds[1] == kinds[0]);
  }

  /** Which rows vocabularies and lengths are fitted on: the train part, or all rows. */
  private boolean[] fitRows(int[] part) {
    int train = options.split().names().indexOf("train");
    boolean[] fit = new boolean[part.length];
    for (int i = 0; i < part.length; i++) {
      fit[i] = train < 0 || part[i] == train;
    }
    return fit;
  }

  private static void sizeIdSides(
      ColumnKind[] kinds, boolean shared, int[][][] ids, SidePlan[] plans) {
    int[] sizes = new int[2];
    for (int side = 0; side < 2; side++) {
      if (kinds[side] == ColumnKind.IDS) {
        sizes[side] = Math.max(2, Arrays.stream(ids[side]).mapToInt(a -> a[0]).max().orElse(0) + 1);
      }
    }
    for (int side = 0; side < 2; side++) {
      if (kinds[side] == ColumnKind.IDS) {
        int size = shared ? Math.max(sizes[0], sizes[1]) : sizes[side];
        plans[side] = new SidePlan(ColumnKind.IDS, size, 1, Optional.empty(), Optional.empty(),
            OptionalInt.empty());
      }
    }
  }

  private void writeTokenizer(ColumnKind[] kinds) throws IOException {
    new TokenizerDescription(options.tokenizer(), options.lowercase(), Vocabulary.UNKNOWN_TOKEN,
        kinds[0], kinds[1], options.huggingFaceJson())
        .write(options.outDir().resolve(TokenizerDescription.FILE_NAME));
    files.add(TokenizerDescription.FILE_NAME);
  }

  private void writeHyperparameters(SidePlan[] plans, boolean shared, EncodedLabels labels)
      throws IOException {
    Map<String, Object> hp = HyperparameterTemplate.build(plans[0], plans[1], shared, labels);
    Files.writeString(options.outDir().resolve(HP_FILE), JSON.writeValueAsString(hp) + "\n");
    files.add(HP_FILE);
  }

  private String column(int side) {
    return (side == 0 ? options.table().in0() : options.table().in1()).describe();
  }
}
