package dev.o2v.core.prepare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PretrainedTrimmerTest {

  @TempDir Path dir;

  private Vocabulary vocab(String... tokens) {
    TokenCounts counts = new TokenCounts();
    counts.addAll(List.of(tokens));
    return Vocabulary.build(counts, 1, 100);
  }

  @Test
  void keepsOnlyVocabularyLinesUnchangedAndTheFirstOfARepeat() throws IOException {
    Path glove = dir.resolve("glove.txt");
    Files.writeString(glove, "the 0.1 0.2 0.3\nzebra 1 2 3\n. . . 4 5 6\nman -1e-3 0 7 \n"
        + "the 9 9 9\n");
    Path out = dir.resolve("pretrained.txt");
    PretrainedTrimmer.Result r = PretrainedTrimmer.trim(glove, vocab("the", "man", "."), out);
    assertEquals(new PretrainedTrimmer.Result(3, 2, 4), r);
    assertEquals(List.of("the 0.1 0.2 0.3", "man -1e-3 0 7"), Files.readAllLines(out));
  }

  @Test
  void aWord2vecHeaderLineGivesTheWidthAndIsDropped() throws IOException {
    Path glove = dir.resolve("w2v.txt");
    Files.writeString(glove, "2 2\nman 1 2\nwoman 3 4\n");
    PretrainedTrimmer.Result r =
        PretrainedTrimmer.trim(glove, vocab("woman"), dir.resolve("p.txt"));
    assertEquals(2, r.dim());
    assertEquals(List.of("woman 3 4"), Files.readAllLines(dir.resolve("p.txt")));
  }

  @Test
  void shortLinesAndBadNumbersNameTheLine() throws IOException {
    Path glove = dir.resolve("bad.txt");
    Files.writeString(glove, "a 1 2 3\nman 1 2\n");
    assertEquals(glove + ":2: 'man' has 2 values, the first line has 3",
        assertThrows(PrepareException.class,
            () -> PretrainedTrimmer.trim(glove, vocab("man"), dir.resolve("p.txt")))
            .getMessage());
    Files.writeString(glove, "a 1 2 3\nman 1 NaN 3\n");
    assertEquals(glove + ":2: value 2 of 'man' is not a finite number: 'NaN'",
        assertThrows(PrepareException.class,
            () -> PretrainedTrimmer.trim(glove, vocab("man"), dir.resolve("p.txt")))
            .getMessage());
  }

  @Test
  void noMatchingTokenSuggestsLowercasing() throws IOException {
    Path glove = dir.resolve("lower.txt");
    Files.writeString(glove, "man 1 2\n");
    PrepareException e = assertThrows(PrepareException.class,
        () -> PretrainedTrimmer.trim(glove, vocab("Man"), dir.resolve("p.txt")));
    assertTrue(e.getMessage().contains("--lowercase"), e.getMessage());
  }
}
