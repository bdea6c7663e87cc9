package fresh;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.o2v.api.Object2VecModel;
import dev.o2v.api.Side;
import example.EmbedFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's example, built in a project that depends on o2v-api alone, embeds a file. */
class EmbedFileRunsTest {

  @TempDir Path dir;

  @Test
  void theReadmeExampleWritesOneVectorPerLineEqualToTheApisOwn() throws Exception {
    Path model = Path.of(System.getProperty("fresh.model"));
    List<String> texts = List.of("a man plays the guitar", "the dog runs in the park", "cat");
    Path in = Files.write(dir.resolve("texts.txt"), texts);
    Path out = dir.resolve("vectors.tsv");

    EmbedFile.main(new String[] {model.toString(), in.toString(), out.toString()});

    List<String> rows = Files.readAllLines(out);
    assertEquals(texts.size(), rows.size(), "one row per input line");
    try (Object2VecModel direct = Object2VecModel.open(model)) {
      float[][] expected = direct.embedText(Side.IN0, texts);
      for (int r = 0; r < rows.size(); r++) {
        String[] fields = rows.get(r).split("\t");
        float[] parsed = new float[fields.length];
        for (int c = 0; c < fields.length; c++) {
          parsed[c] = Float.parseFloat(fields[c]);
        }
        assertArrayEquals(expected[r], parsed, "row " + r);
        assertTrue(expected[r].length > 0, "row " + r + " has a width");
      }
    }
  }
}
