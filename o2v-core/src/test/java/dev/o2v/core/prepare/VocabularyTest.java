package dev.o2v.core.prepare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VocabularyTest {

  @TempDir Path dir;

  private static TokenCounts counts(String... tokens) {
    TokenCounts counts = new TokenCounts();
    counts.addAll(List.of(tokens));
    return counts;
  }

  @Test
  void unknownIsIdZeroThenTokensByFallingCountThenLexically() {
    Vocabulary v = Vocabulary.build(counts("b", "a", "c", "c", "b", "c", "d"), 1, 100);
    assertEquals(
        Map.of("<unk>", 0, "c", 1, "b", 2, "a", 3, "d", 4), v.ids(), "ids " + v.ids());
    assertEquals(5, v.size());
    assertEquals(OptionalInt.of(0), v.unknownId());
  }

  @Test
  void minCountAndMaxSizeLeaveRareTokensToTheUnknownId() {
    TokenCounts c = counts("x", "x", "x", "y", "y", "z", "w", "w");
    assertEquals(Map.of("<unk>", 0, "x", 1, "w", 2, "y", 3),
        Vocabulary.build(c, 2, 100).ids());
    Vocabulary capped = Vocabulary.build(c, 1, 3);
    assertEquals(Map.of("<unk>", 0, "x", 1, "w", 2), capped.ids());
    assertEquals(0, capped.idOrUnknown("z"));
  }

  @Test
  void writtenFileReadsBackEqualInIdOrder() throws IOException {
    Vocabulary v = Vocabulary.build(counts("q\"uote", "é", "é", "\\"), 1, 10);
    Path file = dir.resolve("vocab.json");
    v.write(file);
    Vocabulary back = Vocabulary.read(file, "<unk>");
    assertEquals(v.ids(), back.ids());
    List<String> lines = Files.readAllLines(file);
    assertEquals("{", lines.get(0));
    assertEquals("  \"<unk>\": 0,", lines.get(1));
    assertEquals("  \"é\": 1,", lines.get(2));
  }

  @Test
  void aReadVocabularyWithoutTheUnknownTokenMarksUnknownTokens() throws IOException {
    Path file = dir.resolve("v.json");
    Files.writeString(file, "{\"a\": 3, \"b\": 0}");
    Vocabulary v = Vocabulary.read(file, "<unk>");
    assertEquals(4, v.size(), "size is max id + 1");
    assertEquals(-1, v.idOrUnknown("zzz"));
    assertTrue(v.contains("a"));
    assertFalse(v.contains("<unk>"));
  }

  @Test
  void entriesWithIdsAtOrAboveALimitCanBeLeftOutUnknownTokenIncluded() throws IOException {
    Path file = dir.resolve("genre.json");
    Files.writeString(file, "{\"a\": 0, \"b\": 1, \"c\": 2, \"<unk>\": 3}");
    Vocabulary v = Vocabulary.read(file, "<unk>");
    Vocabulary fitted = v.withIdsBelow(3);
    assertEquals(Map.of("a", 0, "b", 1, "c", 2), fitted.ids(), "ids " + fitted.ids());
    assertEquals(3, fitted.size());
    assertEquals(OptionalInt.empty(), fitted.unknownId());
    assertEquals(-1, fitted.idOrUnknown("<unk>"));
    assertEquals(v.ids(), v.withIdsBelow(4).ids(), "nothing left out when every id fits");
    assertEquals(OptionalInt.of(3), v.withIdsBelow(4).unknownId());
  }

  @Test
  void badVocabularyFilesNameTheFileAndTheProblem() throws IOException {
    Path shared = dir.resolve("shared.json");
    Files.writeString(shared, "{\"a\": 1, \"b\": 1}");
    String message = assertThrows(PrepareException.class,
        () -> Vocabulary.read(shared, "<unk>")).getMessage();
    assertEquals(shared + ": tokens 'a' and 'b' share id 1", message);

    Path negative = dir.resolve("negative.json");
    Files.writeString(negative, "{\"a\": -1}");
    assertTrue(assertThrows(PrepareException.class, () -> Vocabulary.read(negative, "<unk>"))
        .getMessage().contains("id of 'a' must be a non-negative integer, found -1"));

    Path array = dir.resolve("array.json");
    Files.writeString(array, "[1, 2]");
    assertTrue(assertThrows(PrepareException.class, () -> Vocabulary.read(array, "<unk>"))
        .getMessage().startsWith(array + ": a vocabulary must be a non-empty JSON object"));
  }
}
