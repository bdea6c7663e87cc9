package dev.o2v.core.prepare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EncodedLabelsTest {

  private static final Path FILE = Path.of("pairs.tsv");

  private static List<TextRow> rows(String... labels) {
    List<TextRow> rows = new ArrayList<>();
    for (int i = 0; i < labels.length; i++) {
      rows.add(new TextRow(i + 2, "a", "b", labels[i]));
    }
    return rows;
  }

  @Test
  void labelMapMatchesNamesIgnoringCase() {
    LabelMap map = LabelMap.parse("entailment=0, neutral=1,contradiction=2");
    EncodedLabels labels = EncodedLabels.encode(
        rows("NEUTRAL", "ENTAILMENT", "Contradiction"), FILE, Optional.of(map), LabelTask.AUTO);
    assertTrue(labels.classification());
    assertEquals(3, labels.numClasses());
    assertEquals(List.of("1", "0", "2"), labels.json());
  }

  @Test
  void anUnmappedLabelNamesFileLineAndTheKnownNames() {
    LabelMap map = LabelMap.parse("yes=0,no=1");
    PrepareException e = assertThrows(PrepareException.class, () -> EncodedLabels.encode(
        rows("yes", "maybe"), FILE, Optional.of(map), LabelTask.AUTO));
    assertEquals("pairs.tsv:3: label 'maybe' is not in --label-map (yes, no)", e.getMessage());
  }

  @Test
  void integersZeroToKMinusOneAreClassesOtherNumbersAreRegressionTargets() {
    EncodedLabels binary = EncodedLabels.encode(rows("1", "0", "1"), FILE, Optional.empty(),
        LabelTask.AUTO);
    assertTrue(binary.classification());
    assertEquals(2, binary.numClasses());

    EncodedLabels ratings = EncodedLabels.encode(rows("1", "5", "3"), FILE, Optional.empty(),
        LabelTask.AUTO);
    assertFalse(ratings.classification(), "ratings 1..5 skip class 0, so they are regression");
    assertEquals(List.of("1", "5", "3"), ratings.json());

    EncodedLabels scores = EncodedLabels.encode(rows("4.50", "+3", ".5", "1e2"), FILE,
        Optional.empty(), LabelTask.AUTO);
    assertFalse(scores.classification());
    assertEquals(List.of("4.50", "3", "0.5", "100"), scores.json());
  }

  @Test
  void explicitClassificationTakesGapsInTheClassIndexes() {
    EncodedLabels labels = EncodedLabels.encode(rows("0", "3"), FILE, Optional.empty(),
        LabelTask.CLASSIFICATION);
    assertEquals(4, labels.numClasses());
    PrepareException e = assertThrows(PrepareException.class, () -> EncodedLabels.encode(
        rows("0", "1.5"), FILE, Optional.empty(), LabelTask.CLASSIFICATION));
    assertEquals("pairs.tsv:3: class label must be an integer in 0..29 (or use --label-map),"
        + " found '1.5'", e.getMessage());
  }

  @Test
  void labelsThatAreNoFiniteNumberAreDataErrors() {
    for (String bad : new String[] {"NaN", "high", "1e400"}) {
      PrepareException e = assertThrows(PrepareException.class, () -> EncodedLabels.encode(
          rows("1.5", bad), FILE, Optional.empty(), LabelTask.AUTO));
      assertTrue(e.getMessage().startsWith("pairs.tsv:3: label must be a finite number"),
          e.getMessage());
    }
  }

  @Test
  void malformedLabelMapsAreRejectedWithTheEntry() {
    assertEquals("--label-map entries must be NAME=INDEX, found 'b'",
        assertThrows(IllegalArgumentException.class, () -> LabelMap.parse("a=0,b"))
            .getMessage());
    assertEquals("--label-map names 'a' twice",
        assertThrows(IllegalArgumentException.class, () -> LabelMap.parse("a=0,A=1"))
            .getMessage());
    assertThrows(IllegalArgumentException.class, () -> LabelMap.parse("a=0"));
    assertThrows(IllegalArgumentException.class, () -> EncodedLabels.encode(
        rows("a"), FILE, Optional.of(LabelMap.parse("a=0,b=1")), LabelTask.REGRESSION));
  }
}
