package dev.o2v.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The README's in-process example is this module's {@code example.EmbedFile}; that it builds and
 * works in a project depending on o2v-api alone is checked by {@code src/it/fresh-project}.
 */
class ReadmeExampleTest {

  private static final Path EXAMPLE = Path.of("src/test/java/example/EmbedFile.java");
  private static final String MARKER = "<!-- example: o2v-api/src/test/java/example/EmbedFile.java";

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
}
