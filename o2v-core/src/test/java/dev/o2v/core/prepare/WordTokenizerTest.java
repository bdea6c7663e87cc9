package dev.o2v.core.prepare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class WordTokenizerTest {

  private final WordTokenizer lower = new WordTokenizer(true);
  private final WordTokenizer keepCase = new WordTokenizer(false);

  @Test
  void wordsAreLetterAndDigitRunsAndEveryOtherSymbolStandsAlone() {
    assertEquals(
        List.of("don", "'", "t", "stop", "—", "it", "'", "s", "3", ".", "5", "km", "!"),
        lower.tokenize("Don't stop—it's 3.5 km!"));
  }

  @Test
  void caseIsKeptUnlessLowercasingIsAsked() {
    assertEquals(List.of("A", "Man", "is", "Running"), keepCase.tokenize("A Man is  Running"));
    assertEquals(List.of("a", "man"), lower.tokenize("A MAN"));
  }

  @Test
  void decomposedAndPrecomposedAccentsGiveOneToken() {
    String precomposed = "caf\u00e9";
    String decomposed = "cafe\u0301";
    assertEquals(List.of(precomposed), keepCase.tokenize(decomposed));
    assertEquals(keepCase.tokenize(precomposed), keepCase.tokenize(decomposed));
  }

  @Test
  void invisibleSeparatorsSplitAndAreDropped() {
    assertEquals(List.of("ab", "cd", "ef"), keepCase.tokenize("\uFEFFab\u200Bcd\u00A0ef\t\n"));
  }

  @Test
  void symbolsOutsideTheBasicPlaneAreSingleTokens() {
    assertEquals(List.of("hi", "\uD83D\uDE00", "there"), keepCase.tokenize("hi\uD83D\uDE00there"));
  }

  @Test
  void lettersOfOtherScriptsAndDigitsJoinWords() {
    assertEquals(List.of("Привет", ",", "мир2", "日本語"), keepCase.tokenize("Привет, мир2 日本語"));
  }

  @Test
  void blankTextHasNoTokens() {
    assertTrue(lower.tokenize(" \t ").isEmpty());
  }
}
