package dev.o2v.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonlRecordReaderTest {

  private static final DataSchema CLASSES =
      new DataSchema(100, 5, 50, 3, LabelKind.CLASS, 3, SidePolicy.BOTH_REQUIRED);
  private static final DataSchema REGRESSION =
      new DataSchema(100, 5, 50, 3, LabelKind.REGRESSION, 0, SidePolicy.BOTH_REQUIRED);
  private static final DataSchema INFERENCE =
      new DataSchema(100, 5, 50, 3, LabelKind.IGNORED, 0, SidePolicy.AT_LEAST_ONE);

  @TempDir Path dir;

  private Path write(String name, String text) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, text, StandardCharsets.UTF_8);
    return file;
  }

  private static PairDataset load(DataSchema schema, String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    return new JsonlRecordReader(schema).load(new ByteArrayInputStream(bytes), "mem.jsonl");
  }

  private static PairDataset loadBytes(DataSchema schema, byte[] bytes) {
    return new JsonlRecordReader(schema).load(new ByteArrayInputStream(bytes), "mem.jsonl");
  }

  private static DataFormatException failure(DataSchema schema, String text) {
    return assertThrows(DataFormatException.class, () -> load(schema, text));
  }

  @Test
  void readsTheSpecExampleIntoIdsAndLabels() {
    PairDataset data = load(CLASSES,
        "{\"label\": 1, \"in0\": [6, 17], \"in1\": [16, 21, 13]}\n"
            + "{\"in1\": [4], \"label\": 2, \"in0\": [99]}\n");
    assertEquals(2, data.size());
    assertArrayEquals(new int[] {6, 17}, data.ids(0, 0));
    assertArrayEquals(new int[] {16, 21, 13}, data.ids(1, 0));
    assertEquals(1f, data.label(0));
    assertArrayEquals(new int[] {99}, data.ids(0, 1));
    assertArrayEquals(new int[] {4}, data.ids(1, 1));
    assertEquals(2f, data.label(1));
  }

  @Test
  void ignoresUnknownFieldsOfAnyShape() {
    PairDataset data = load(CLASSES,
        "{\"id\": \"a\", \"meta\": {\"x\": [1, {\"y\": null}]}, \"label\": 0, \"in0\": [1],"
            + " \"in1\": [2], \"w\": 1.5e3}\n");
    assertEquals(1, data.size());
    assertArrayEquals(new int[] {1}, data.ids(0, 0));
  }

  @Test
  void truncatesLongSequencesAndCountsThem() {
    PairDataset data = load(CLASSES,
        "{\"label\": 0, \"in0\": [1, 2, 3, 4, 5, 6, 7], \"in1\": [1, 2, 3]}\n"
            + "{\"label\": 0, \"in0\": [1], \"in1\": [1, 2, 3, 4]}\n"
            + "{\"label\": 0, \"in0\": [1, 2, 3, 4, 5], \"in1\": [9]}\n");
    assertArrayEquals(new int[] {1, 2, 3, 4, 5}, data.ids(0, 0));
    assertArrayEquals(new int[] {1, 2, 3}, data.ids(1, 1));
    assertEquals(1, data.truncatedCount(0), "in0 truncations");
    assertEquals(1, data.truncatedCount(1), "in1 truncations");
  }

  @Test
  void idsPastTheTruncationPointAreStillRangeChecked() {
    DataFormatException e = failure(CLASSES,
        "{\"label\": 0, \"in0\": [1, 2, 3, 4, 5, 6, 100], \"in1\": [1]}\n");
    assertTrue(e.reason().contains("in0 id 100 at position 6 is out of range"), e.getMessage());
  }

  @Test
  void outOfRangeIdNamesSideIdAndVocabSize() {
    DataFormatException e = failure(CLASSES,
        "{\"label\": 0, \"in0\": [1], \"in1\": [1]}\n"
            + "{\"label\": 0, \"in0\": [1], \"in1\": [3, 50]}\n");
    assertEquals("mem.jsonl", e.source());
    assertEquals(2, e.line());
    assertEquals("mem.jsonl:2: in1 id 50 at position 1 is out of range: ids must be in [0, 50)"
        + " (enc1_vocab_size=50)", e.getMessage());
  }

  @Test
  void negativeAndHugeIdsAreRangeErrors() {
    assertTrue(failure(CLASSES, "{\"label\": 0, \"in0\": [-1], \"in1\": [1]}")
        .reason().startsWith("in0 id -1 at position 0 is out of range"));
    DataFormatException huge =
        failure(CLASSES, "{\"label\": 0, \"in0\": [99999999999999999999], \"in1\": [1]}");
    assertTrue(huge.reason().startsWith("in0 id 99999999999999999999 at position 0"),
        huge.getMessage());
  }

  @Test
  void nonIntegerIdsAreRejected() {
    assertEquals("in0 must contain only integer ids, found 1.5 at position 1",
        failure(CLASSES, "{\"label\": 0, \"in0\": [1, 1.5], \"in1\": [1]}").reason());
    assertEquals("in0 must contain only integer ids, found 3.0 at position 0",
        failure(CLASSES, "{\"label\": 0, \"in0\": [3.0], \"in1\": [1]}").reason());
    assertEquals("in1 must contain only integer ids, found string \"7\" at position 0",
        failure(CLASSES, "{\"label\": 0, \"in0\": [1], \"in1\": [\"7\"]}").reason());
    assertEquals("in1 must contain only integer ids, found an array at position 0",
        failure(CLASSES, "{\"label\": 0, \"in0\": [1], \"in1\": [[7]]}").reason());
    assertEquals("in0 must be an array of integer ids, found 5",
        failure(CLASSES, "{\"label\": 0, \"in0\": 5, \"in1\": [1]}").reason());
    assertEquals("in0 must be an array of integer ids, found null",
        failure(CLASSES, "{\"label\": 0, \"in0\": null, \"in1\": [1]}").reason());
  }

  @Test
  void missingSequencesAreErrors() {
    assertEquals("missing field in0",
        failure(CLASSES, "{\"label\": 0, \"in1\": [1]}").reason());
    assertEquals("missing field in1",
        failure(CLASSES, "{\"label\": 0, \"in0\": [1]}").reason());
    assertEquals("missing field label",
        failure(CLASSES, "{\"in0\": [1], \"in1\": [1]}").reason());
    assertEquals("duplicate field in0",
        failure(CLASSES, "{\"label\": 0, \"in0\": [1], \"in0\": [2], \"in1\": [1]}").reason());
  }

  @Test
  void recordsWithAnEmptyOrAllZeroSideAreDiscardedAndCounted() {
    PairDataset data = load(CLASSES,
        "{\"label\": 0, \"in0\": [1], \"in1\": []}\n"
            + "{\"label\": 1, \"in0\": [0, 0], \"in1\": [4]}\n"
            + "{\"label\": 2, \"in0\": [3, 0], \"in1\": [0, 5]}\n"
            + "{\"label\": 1, \"in0\": [7], \"in1\": [8]}\n");
    assertEquals(2, data.size(), "records kept");
    assertEquals(2, data.discardedCount(), "records discarded");
    assertEquals(2, data.zeroIdRecordCount(), "records holding id 0");
    assertArrayEquals(new int[] {3}, data.ids(0, 0));
    assertArrayEquals(new int[] {5}, data.ids(1, 0));
    assertEquals(2f, data.label(0));
  }

  @Test
  void zerosAreDroppedOnlyAfterTheSideIsCutToMaxSeqLen() {
    // in0 keeps at most 5 ids: [9, 0, 0, 0, 0] leaves [9]; the 8 past the cut never counts.
    PairDataset data = load(CLASSES, "{\"label\": 0, \"in0\": [9, 0, 0, 0, 0, 8], \"in1\": [1]}");
    assertArrayEquals(new int[] {9}, data.ids(0, 0));
    assertEquals(1, data.truncatedCount(0), "records cut");
    // Cut to 5, only zeros are left: the record is discarded although the line holds an 8.
    PairDataset none = load(CLASSES, "{\"label\": 0, \"in0\": [0, 0, 0, 0, 0, 8], \"in1\": [1]}");
    assertEquals(0, none.size());
    assertEquals(1, none.discardedCount());
  }

  @Test
  void zeroIsAnOrdinaryIdUnderTheTokenRule() {
    PairDataset data = load(CLASSES.withZeroIds(ZeroIdRule.TOKEN),
        "{\"label\": 0, \"in0\": [0, 3, 0], \"in1\": [0]}\n"
            + "{\"label\": 0, \"in0\": [], \"in1\": [2]}\n");
    assertEquals(1, data.size());
    assertArrayEquals(new int[] {0, 3, 0}, data.ids(0, 0));
    assertArrayEquals(new int[] {0}, data.ids(1, 0));
    assertEquals(1, data.discardedCount(), "the empty side is still discarded");
  }

  @Test
  void inferenceRecordsKeepEmptySides() {
    PairDataset data = load(INFERENCE, "{\"in0\": []}\n{\"in0\": [0, 0], \"in1\": [2, 0]}\n");
    assertEquals(2, data.size());
    assertEquals(0, data.discardedCount());
    assertEquals(0, data.length(0, 0));
    assertEquals(0, data.length(0, 1));
    assertArrayEquals(new int[] {2}, data.ids(1, 1));
  }

  @Test
  void datasetsBuiltFromArraysFollowTheSameRule() {
    PairDataset.Builder builder = PairDataset.builder(CLASSES);
    builder.add(new int[] {0, 4, 0}, new int[] {2}, 1f);
    builder.add(new int[] {0}, new int[] {2}, 1f);
    PairDataset data = builder.build();
    assertEquals(1, data.size());
    assertArrayEquals(new int[] {4}, data.ids(0, 0));
    assertEquals(1, data.discardedCount());
    assertEquals(2, data.zeroIdRecordCount());
  }

  @Test
  void classLabelsMustBeIntegralAndInRange() {
    String rule = "label must be an integer class in [0, 3) (num_classes=3), found ";
    assertEquals(rule + "3",
        failure(CLASSES, "{\"label\": 3, \"in0\": [1], \"in1\": [1]}").reason());
    assertEquals(rule + "-1",
        failure(CLASSES, "{\"label\": -1, \"in0\": [1], \"in1\": [1]}").reason());
    assertEquals(rule + "0.5",
        failure(CLASSES, "{\"label\": 0.5, \"in0\": [1], \"in1\": [1]}").reason());
    assertEquals(rule + "string \"1\"",
        failure(CLASSES, "{\"label\": \"1\", \"in0\": [1], \"in1\": [1]}").reason());
    assertEquals(rule + "1e309",
        failure(CLASSES, "{\"label\": 1e309, \"in0\": [1], \"in1\": [1]}").reason());
    assertEquals(rule + "99999999999999999999",
        failure(CLASSES, "{\"label\": 99999999999999999999, \"in0\": [1], \"in1\": [1]}")
            .reason());
    assertEquals(2f, load(CLASSES, "{\"label\": 2.0, \"in0\": [1], \"in1\": [1]}").label(0),
        "an integral number is a valid class");
  }

  @Test
  void regressionLabelsMustBeFiniteNumbers() {
    PairDataset data = load(REGRESSION,
        "{\"label\": 3.5, \"in0\": [1], \"in1\": [1]}\n"
            + "{\"label\": -2, \"in0\": [1], \"in1\": [1]}");
    assertEquals(3.5f, data.label(0));
    assertEquals(-2f, data.label(1));
    assertEquals("label must be a finite number (32-bit float range), found 1e309",
        failure(REGRESSION, "{\"label\": 1e309, \"in0\": [1], \"in1\": [1]}").reason());
    assertEquals("label must be a finite number (32-bit float range), found 1e39",
        failure(REGRESSION, "{\"label\": 1e39, \"in0\": [1], \"in1\": [1]}").reason());
    assertEquals("label must be a finite number, found true",
        failure(REGRESSION, "{\"label\": true, \"in0\": [1], \"in1\": [1]}").reason());
    assertTrue(failure(REGRESSION, "{\"label\": NaN, \"in0\": [1], \"in1\": [1]}")
        .reason().startsWith("malformed JSON"));
  }

  @Test
  void malformedJsonIsOneLineWithTheLineNumber() {
    String good = "{\"label\": 0, \"in0\": [1], \"in1\": [1]}\n";
    for (String bad : List.of("{\"label\": 0, \"in0\": [1", "{label: 0}", "not json",
        "{\"label\": 0, \"in0\": [1], \"in1\": [1]} x", "[1, 2]", "42",
        "{\"label\": 0, \"in0\": [1], \"in1\": [1]}{\"label\": 0}")) {
      DataFormatException e = failure(CLASSES, good + good + bad + "\n" + good);
      assertEquals(3, e.line(), "line of " + bad + ": " + e.getMessage());
      assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
      assertTrue(e.getMessage().startsWith("mem.jsonl:3: "), e.getMessage());
    }
  }

  @Test
  void aRecordSplitOverTwoLinesIsAnError() {
    DataFormatException e = failure(CLASSES, "{\"label\": 0,\n\"in0\": [1], \"in1\": [1]}\n");
    assertEquals(1, e.line());
    assertTrue(e.reason().startsWith("malformed JSON"), e.getMessage());
  }

  @Test
  void binaryGarbageAndInvalidUtf8AreCleanErrors() {
    byte[] good = "{\"label\": 0, \"in0\": [1], \"in1\": [1]}\n".getBytes(StandardCharsets.UTF_8);
    List<byte[]> garbage = List.of(
        new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1, 2, '\n'},
        new byte[] {0, 0, 0, '{', '\n'},
        "{\"label\": 0, \"in0\": [1], \"in1\": [1], \"x\": \"\u00e9\"}\n"
            .replace("\u00e9", "\u0000").getBytes(StandardCharsets.UTF_8),
        new byte[] {'{', '"', (byte) 0xc3, (byte) 0x28, '"', ':', '1', '}', '\n'},
        new byte[] {(byte) 0x80, (byte) 0x81, '\n'},
        concat("{\"label\": 0, \"in0\": [1], \"in1\": [1], \"x\": \"".getBytes(
            StandardCharsets.UTF_8), new byte[] {(byte) 0xc3, (byte) 0x28, '"', '}', '\n'}));
    for (byte[] bad : garbage) {
      byte[] text = concat(good, good, bad, good);
      DataFormatException e =
          assertThrows(DataFormatException.class, () -> loadBytes(CLASSES, text));
      assertEquals(3, e.line(), e.getMessage());
      assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
    }
  }

  @Test
  void blankLinesAreSkippedButCountInLineNumbers() {
    String good = "{\"label\": 0, \"in0\": [1], \"in1\": [1]}";
    DataFormatException e =
        failure(CLASSES, good + "\n\n  \t\r\n" + good + "\r\n{\"label\": 0}\n\n");
    assertEquals(5, e.line(), e.getMessage());
    PairDataset data = load(CLASSES, "\n" + good + "\n\n" + good + "\n\n\n");
    assertEquals(2, data.size());
  }

  @Test
  void lastLineWithoutNewlineIsRead() {
    assertEquals(2, load(CLASSES, "{\"label\": 0, \"in0\": [1], \"in1\": [1]}\n"
        + "{\"label\": 1, \"in0\": [1], \"in1\": [1]}").size());
  }

  @Test
  void lineNumbersStayExactAcrossBufferRefills() {
    StringBuilder text = new StringBuilder();
    int lines = 20_000;
    for (int i = 1; i < lines; i++) {
      text.append("{\"label\": 0, \"in0\": [1, 2, 3], \"in1\": [4], \"pad\": \"")
          .append("x".repeat(i % 97)).append("\"}\n");
    }
    text.append("{\"label\": 0, \"in0\": [1], \"in1\": [50]}\n");
    DataFormatException e = failure(CLASSES, text.toString());
    assertEquals(lines, e.line(), e.getMessage());
  }

  @Test
  void tooLongLineIsRejectedWithItsNumber() {
    String good = "{\"label\": 0, \"in0\": [1], \"in1\": [1]}\n";
    String longLine = "{\"label\": 0, \"in0\": [1], \"in1\": [1], \"p\": \"" + "x".repeat(500)
        + "\"}\n";
    JsonlRecordReader reader = new JsonlRecordReader(CLASSES, 200);
    byte[] bytes = (good + longLine + good).getBytes(StandardCharsets.UTF_8);
    DataFormatException e = assertThrows(DataFormatException.class,
        () -> reader.load(new ByteArrayInputStream(bytes), "mem.jsonl"));
    assertEquals("mem.jsonl:2: line is longer than 200 bytes", e.getMessage());
  }

  @Test
  void inferenceRecordsMayCarryOneSideAndAnyLabel() {
    PairDataset data = load(INFERENCE,
        "{\"in0\": [1, 2]}\n{\"in1\": [3]}\n{\"in0\": [4], \"in1\": [5], \"label\": \"x\"}\n");
    assertTrue(data.has(0, 0) && !data.has(1, 0), "record 0 has only in0");
    assertTrue(!data.has(0, 1) && data.has(1, 1), "record 1 has only in1");
    assertTrue(data.has(0, 2) && data.has(1, 2), "record 2 has both");
    assertEquals("record has neither in0 nor in1",
        failure(INFERENCE, "{\"label\": 1}").reason());
  }

  @Test
  void cursorExposesWhichSidesArePresent() {
    JsonlRecordReader reader = new JsonlRecordReader(INFERENCE);
    byte[] bytes = "{\"in1\": [3, 4, 5, 6]}\n".getBytes(StandardCharsets.UTF_8);
    try (JsonlRecordCursor cursor = reader.open(new ByteArrayInputStream(bytes), "req")) {
      assertTrue(cursor.next());
      PairRecord r = cursor.current();
      assertFalse(r.has(0));
      assertTrue(r.has(1));
      assertEquals(3, r.length(1));
      assertEquals(4, r.originalLength(1));
      assertTrue(r.truncated(1));
      assertEquals(1, r.line());
      assertFalse(cursor.next());
      assertEquals(1, cursor.truncatedCount(1));
    }
  }

  @Test
  void directoryChannelReadsJsonlFilesInSortedOrder() throws IOException {
    write("b.jsonl", "{\"label\": 1, \"in0\": [2], \"in1\": [2]}\n");
    write("a.jsonl", "{\"label\": 0, \"in0\": [1], \"in1\": [1]}\n");
    write("c.txt", "not read");
    write(".hidden.jsonl", "not read");
    List<String> seen = new ArrayList<>();
    long n = new JsonlRecordReader(CLASSES).forEach(Channel.of(dir),
        r -> seen.add(Path.of(r.source()).getFileName() + ":" + r.line() + ":" + r.id(0, 0)));
    assertEquals(2, n);
    assertEquals(List.of("a.jsonl:1:1", "b.jsonl:1:2"), seen);
  }

  @Test
  void errorsNameTheFileOfAChannel() throws IOException {
    write("a.jsonl", "{\"label\": 0, \"in0\": [1], \"in1\": [1]}\n");
    Path b = write("b.jsonl", "\n{\"label\": 0, \"in0\": [1], \"in1\": [x]}\n");
    DataFormatException e = assertThrows(DataFormatException.class,
        () -> new JsonlRecordReader(CLASSES).load(Channel.of(dir)));
    assertTrue(e.getMessage().startsWith(b + ":2: malformed JSON"), e.getMessage());
  }

  private static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) {
      n += p.length;
    }
    byte[] out = new byte[n];
    int at = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, at, p.length);
      at += p.length;
    }
    return out;
  }
}
