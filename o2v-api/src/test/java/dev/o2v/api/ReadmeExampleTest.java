package dev.o2v.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import example.EmbedFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's in-process example is this module's {@code example.EmbedFile}, and it works. */
@Tag("engine")
class ReadmeExampleTest {

  private static final Path EXAMPLE = Path.of("src/test/java/example/EmbedFile.java");
  private static final String MARKER = "<!-- example: o2v-api/src/test/java/example/EmbedFile.java";

  @TempDir Path dir;

  @Test
  void readmeShowsTheExampleSourceAsItIs() throws Exception {
    String readme = Files.readString(Path.of("..", "README.md"));
    int marker = readme.indexOf(MARKER);
    assertTrue(marker >= 0, "README.md lacks the marker " + MARKER);
    int start = readme.indexOf("```java\n", marker) + "```java\n".length();
    int end = readme.indexOf("```", start);
    String source = Files.readString(EXAMPLE);
    String withoutPackage = source.substring(source.indexOf('\n') + 1).stripLeading();
    assertEquals(withoutPackage, readme.substring(start, end),
        "README.md's example differs from " + EXAMPLE);
  }

  @Test
  void exampleEmbedsEveryLineOfAFile() throws Exception {
    Path model = TinyTextModel.shared();
    List<String> texts = List.of("A man plays the guitar", "the dog runs in the park", "cat");
    Path in = Files.write(dir.resolve("texts.txt"), texts);
    Path out = dir.resolve("vectors.tsv");

    EmbedFile.main(new String[] {model.toString(), in.toString(), out.toString()});

    List<String> rows = Files.readAllLines(out);
    assertEquals(texts.size(), rows.size(), "one output row per input line");
    try (Object2VecModel direct = Object2VecModel.open(model)) {
      float[][] expected = direct.embedText(Side.IN0, texts);
      for (int r = 0; r < rows.size(); r++) {
        String[] fields = rows.get(r).split("\t");
        float[] parsed = new float[fields.length];
        for (int c = 0; c < fields.length; c++) {
          parsed[c] = Float.parseFloat(fields[c]);
        }
        assertArrayEquals(expected[r], parsed, "row " + r);
      }
    }
  }
}
