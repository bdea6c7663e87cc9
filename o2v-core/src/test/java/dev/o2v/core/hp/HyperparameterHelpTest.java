package dev.o2v.core.hp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HyperparameterHelpTest {

  /** The committed page, seen from the module directory Maven runs tests in. */
  private static final Path DOCS = Path.of("..", HyperparameterHelp.DOCS_PATH);

  private static final String REGENERATE =
      "mvn -B -o -q -pl o2v-core test -Dtest=HyperparameterHelpTest -Do2v.regenerateDocs=true";

  /** The table's blocks: a row starting at column 0 plus its indented lines, joined. */
  private static List<String> blocks(String table) {
    List<String> blocks = new ArrayList<>();
    for (String line : table.lines().toList()) {
      if (line.startsWith(" ")) {
        int last = blocks.size() - 1;
        blocks.set(last, blocks.get(last) + "\n" + line);
      } else {
        blocks.add(line);
      }
    }
    return blocks;
  }

  @Test
  void tableHasAHeaderThenOneBlockPerKeyWithinOneHundredColumns() {
    String table = HyperparameterHelp.renderTable();
    List<String> blocks = blocks(table);
    List<HyperparameterKey> keys = HyperparameterCatalog.keys();
    assertEquals(1 + keys.size(), blocks.size(), "header and one block per key");
    assertTrue(blocks.get(0).startsWith("KEY ") && blocks.get(0).contains("REQUIRED"),
        blocks.get(0));
    for (int i = 0; i < keys.size(); i++) {
      HyperparameterKey key = keys.get(i);
      String[] lines = blocks.get(1 + i).split("\n");
      assertTrue(lines[0].matches(Pattern.quote(key.name()) + " +"
          + Pattern.quote(key.typeAndRange()) + " +" + key.requirement().label()), lines[0]);
      String text = Stream.of(lines).skip(1).map(String::strip).collect(Collectors.joining(" "));
      assertTrue(text.startsWith(key.description() + " Default: "), text);
    }
    for (String line : table.lines().toList()) {
      assertTrue(line.length() <= 100, line.length() + " columns: " + line);
    }
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = ';',
      value = {
        "enc_dim; Default: 4096.",
        "enc0_vocab_size; Default: none.",
        "enc0_vocab_file; Default: \"\".",
        "comparator_list; Default: \"hadamard, concat, abs_diff\".",
        "tied_token_embedding_weight; Default: False."
      })
  void tableShowsEachDefaultInSageMakerForm(String key, String expected) {
    String block =
        blocks(HyperparameterHelp.renderTable()).stream()
            .filter(b -> b.startsWith(key + " "))
            .findFirst()
            .orElseThrow();
    String text = block.lines().map(String::strip).collect(Collectors.joining(" "));
    assertTrue(text.endsWith(expected), text);
  }

  @Test
  void markdownHasOneTableRowPerKey() {
    String md = HyperparameterHelp.renderMarkdown();
    for (HyperparameterKey key : HyperparameterCatalog.keys()) {
      long rows = md.lines().filter(l -> l.startsWith("| `" + key.name() + "` |")).count();
      assertEquals(1, rows, key.name());
    }
    assertTrue(md.contains("| `learning_rate` | float in [0.000001, 1] | `0.0004` | optional |"),
        md);
  }

  @Test
  void committedDocsMatchTheCatalog() throws IOException {
    String generated = HyperparameterHelp.renderMarkdown();
    if (Boolean.getBoolean("o2v.regenerateDocs")) {
      Files.writeString(DOCS, generated, StandardCharsets.UTF_8);
    }
    assertTrue(Files.exists(DOCS), DOCS.toAbsolutePath() + " is missing; create it with: "
        + REGENERATE);
    String committed = Files.readString(DOCS, StandardCharsets.UTF_8);
    assertEquals(generated, committed,
        HyperparameterHelp.DOCS_PATH + " differs from the catalog; regenerate it with: "
            + REGENERATE);
  }
}
