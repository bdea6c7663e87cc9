package dev.o2v.inference.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.o2v.core.data.DataException;
import dev.o2v.core.prepare.ColumnKind;
import dev.o2v.core.prepare.TokenCounts;
import dev.o2v.core.prepare.TokenizerDescription;
import dev.o2v.core.prepare.Vocabulary;
import dev.o2v.core.prepare.WordTokenizer;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TextEncoderTest {

  private static Vocabulary vocab(String... tokens) {
    TokenCounts counts = new TokenCounts();
    counts.addAll(List.of(tokens));
    return Vocabulary.build(counts, 1, 100);
  }

  private static TextEncoder encoder(ColumnKind in1, Optional<Vocabulary> vocab1) {
    TokenizerDescription d = new TokenizerDescription(TokenizerDescription.Type.WORD, true,
        "<unk>", ColumnKind.TEXT, in1, Optional.empty());
    return new TextEncoder(d, new WordTokenizer(true),
        List.of(Optional.of(vocab("a", "a", "man", "runs")), vocab1), new int[] {4, 10});
  }

  @Test
  void textSidesUseTheTokenizerAndVocabularyWithUnknownIds() {
    try (TextEncoder e = encoder(ColumnKind.IDS, Optional.empty())) {
      // vocabulary: <unk>=0, a=1, man=2, runs=3
      assertArrayEquals(new int[] {1, 2, 3, 0, 0}, e.encode(0, "A man RUNS fast!"));
      assertEquals(ColumnKind.IDS, e.kind(1));
    }
  }

  @Test
  void idSidesTakeIdsBelowTheVocabSize() {
    try (TextEncoder e = encoder(ColumnKind.IDS, Optional.empty())) {
      assertArrayEquals(new int[] {7}, e.encode(1, " 7 "));
      assertArrayEquals(new int[] {0, 9}, e.encode(1, "0 9"));
      assertEquals("in1 takes integer ids in [0, 10), found '10'",
          assertThrows(DataException.class, () -> e.encode(1, "10")).getMessage());
      assertEquals("in1 takes integer ids in [0, 10), found 'x'",
          assertThrows(DataException.class, () -> e.encode(1, "3 x")).getMessage());
    }
  }

  @Test
  void textWithoutTokensIsAnEmptySideThatEncodesToZeros() {
    try (TextEncoder e = encoder(ColumnKind.IDS, Optional.empty())) {
      assertArrayEquals(new int[0], e.encode(0, "   "));
      assertArrayEquals(new int[0], e.encode(0, ""));
    }
  }

  @Test
  void anIdSideWithoutIdsIsAnEmptySideThatEncodesToZeros() {
    try (TextEncoder e = encoder(ColumnKind.IDS, Optional.empty())) {
      assertArrayEquals(new int[0], e.encode(1, " \t "));
    }
  }

  @Test
  void aTextSideWithoutVocabularyIsRejected() {
    assertThrows(IllegalArgumentException.class,
        () -> encoder(ColumnKind.TEXT, Optional.empty()));
  }
}
