package dev.o2v.core.hp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Renders the {@link HyperparameterCatalog} for people: a plain-text table for the command line
 * and the Markdown page {@code docs/hyperparameters.md}.
 *
 * <p>Regenerate the page from the project root with {@code mvn -B -o -q -pl o2v-core test
 * -Dtest=HyperparameterHelpTest -Do2v.regenerateDocs=true}, or run {@link #main} with the output
 * path.
 */
public final class HyperparameterHelp {

  /** Where the generated page lives, relative to the project root. */
  public static final String DOCS_PATH = "docs/hyperparameters.md";

  private static final String NONE = "none";
  private static final String INDENT = "    ";
  private static final int TABLE_WIDTH = 100;

  private HyperparameterHelp() {}

  /** Writes the Markdown page to {@code args[0]}, or to {@link #DOCS_PATH} without arguments. */
  public static void main(String[] args) throws IOException {
    Path target = Path.of(args.length > 0 ? args[0] : DOCS_PATH);
    Files.writeString(target, renderMarkdown(), StandardCharsets.UTF_8);
  }

  /**
   * A plain-text table of every key that fits a 100-column terminal: a row with the key, its type
   * and range and its requirement, then the indented description and default, wrapped.
   */
  public static String renderTable() {
    List<HyperparameterKey> keys = HyperparameterCatalog.keys();
    int keyWidth = widest(keys.stream().map(HyperparameterKey::name).toList(), "KEY");
    int typeWidth =
        widest(keys.stream().map(HyperparameterKey::typeAndRange).toList(), "TYPE / RANGE");
    String row = "%-" + keyWidth + "s  %-" + typeWidth + "s  %s";
    StringBuilder out = new StringBuilder();
    line(out, String.format(Locale.ROOT, row, "KEY", "TYPE / RANGE", "REQUIRED"));
    line(out, INDENT + "Description. Default: value.");
    for (HyperparameterKey key : keys) {
      line(out, String.format(Locale.ROOT, row, key.name(), key.typeAndRange(),
          key.requirement().label()));
      String text = key.description() + " Default: " + defaultText(key) + ".";
      for (String wrapped : wrap(text, TABLE_WIDTH - INDENT.length())) {
        line(out, INDENT + wrapped);
      }
    }
    return out.toString();
  }

  /** The Markdown page documenting every key, the value forms and the cross-key rules. */
  public static String renderMarkdown() {
    StringBuilder md = new StringBuilder();
    md.append("# Object2Vec hyperparameters\n\n")
        .append("<!-- Generated from HyperparameterCatalog by HyperparameterHelp.renderMarkdown();")
        .append(" do not edit by hand. -->\n\n");
    md.append(INTRO);
    md.append("| Key | Type and range | Default | Required | Description |\n")
        .append("| --- | --- | --- | --- | --- |\n");
    for (HyperparameterKey key : HyperparameterCatalog.keys()) {
      md.append("| `").append(key.name()).append("` | ")
          .append(escape(key.typeAndRange())).append(" | ")
          .append(markdownDefault(key)).append(" | ")
          .append(key.requirement().label()).append(" | ")
          .append(escape(key.description())).append(" |\n");
    }
    md.append(RULES);
    return md.toString();
  }

  private static String defaultText(HyperparameterKey key) {
    String value = key.defaultValue();
    if (value == null) {
      return NONE;
    }
    return value.isEmpty() || value.contains(" ") ? "\"" + value + "\"" : value;
  }

  private static void line(StringBuilder out, String text) {
    out.append(text.stripTrailing()).append('\n');
  }

  /** Splits {@code text} at spaces into lines of at most {@code width} characters. */
  private static List<String> wrap(String text, int width) {
    List<String> lines = new java.util.ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String word : text.split(" ")) {
      if (current.length() > 0 && current.length() + 1 + word.length() > width) {
        lines.add(current.toString());
        current.setLength(0);
      }
      if (current.length() > 0) {
        current.append(' ');
      }
      current.append(word);
    }
    lines.add(current.toString());
    return lines;
  }

  private static String markdownDefault(HyperparameterKey key) {
    return key.defaultValue() == null ? "-" : "`" + defaultText(key) + "`";
  }

  private static String escape(String text) {
    return text.replace("|", "\\|");
  }

  private static int widest(List<String> values, String header) {
    int width = header.length();
    for (String value : values) {
      width = Math.max(width, value.length());
    }
    return width;
  }

  private static final String INTRO =
      """
      A hyperparameter file is one JSON object. Values may be strings, as SageMaker passes them
      (`"30"`, `"True"`, `"0.001"`, `"auto"`), or JSON numbers and booleans. Surrounding spaces
      in strings are ignored. Booleans accept `true`/`false` in any letter case. Integer keys
      accept `30`, `"30"` and `30.0`, but not `30.5`. Floats must be finite: `NaN`, `Infinity`
      and values that overflow, such as `1e309`, are rejected. Enum values are matched ignoring
      case.

      Unknown keys are errors, with the nearest known key suggested. Keys starting with `_`
      (SageMaker-internal, e.g. `_kvstore`, `_num_gpus`) are ignored with one warning. Every
      violation is reported at once, one per line, as `KEY must be RULE, found VALUE`, for
      example `enc_dim must be in [4, 10000], found 2`.

      """;

  private static final String RULES =
      """

      ## Rules between keys

      - `enc0_max_seq_len` and `enc0_vocab_size` are required.
      - `enc1_network=enc0` (the default) gives encoder 1 every enc0 setting: network, vocab
        size, max sequence length, token embedding dim, layers, filter width, pretrained
        embedding and vocab file names, and the freeze flag. Encoder 1 still has its own
        weights. Any enc1 key given alongside is ignored with one warning if its value differs
        from the copied one.
      - Any other `enc1_network` makes encoder 1 independent: `enc1_vocab_size` and
        `enc1_max_seq_len` are then required, and the other enc1 keys take their own defaults.
      - `encX_layers=auto` means 4 for `hcnn` and 1 for `bilstm` and `pooled_embedding`.
      - `pooled_embedding` averages the token embeddings, so that side's token embedding dim is
        set to `enc_dim`, with one warning when this changes the given or default value.
      - A pretrained embedding file needs a vocab file on the same side, to map tokens to ids.
      - `tied_token_embedding_weight=True` requires equal vocab sizes and equal token embedding
        dims (after the `pooled_embedding` rule) on both sides.
      - `token_embedding_storage_type=row_sparse` allows only the `adam`, `adagrad` and `sgd`
        optimizers, and turns bucketing off (`bucket_width` becomes 0, with a warning).
      - `comparator_list` must name at least one operator, each at most once.

      ## Canonical form

      A trained model records its hyperparameters as a canonical JSON object: every key above,
      sorted, each value a string in SageMaker's form with rules applied (`auto` layers resolved,
      `pooled_embedding` dims set, enc1 keys repeating enc0's when `enc1_network=enc0`). Floats
      are plain decimals (`0.0004`), booleans `True`/`False`. Parsing the canonical object gives
      the same hyperparameters without warnings.
      """;
}
