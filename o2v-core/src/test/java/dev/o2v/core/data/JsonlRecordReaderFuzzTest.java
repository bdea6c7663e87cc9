package dev.o2v.core.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.o2v.core.fuzz.Mutations;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Random, mutated and adversarial JSON Lines input: every stream must load into records that obey
 * the schema, or fail with a one-line {@link DataFormatException} ({@code SOURCE:LINE: reason})
 * or {@link ChannelException} naming the source — never another exception, a hang or running out
 * of memory.
 */
class JsonlRecordReaderFuzzTest {

  private static final String SOURCE = "fuzz.jsonl";
  private static final int MAX_MESSAGE_CHARS = 400;
  private static final Duration BUDGET = Duration.ofSeconds(60);
  private static final DataSchema CLASSES =
      new DataSchema(50, 4, 30, 6, LabelKind.CLASS, 3, SidePolicy.BOTH_REQUIRED);
  private static final DataSchema REGRESSION =
      new DataSchema(50, 4, 30, 6, LabelKind.REGRESSION, 0, SidePolicy.BOTH_REQUIRED);
  private static final DataSchema INFERENCE =
      new DataSchema(50, 4, 30, 6, LabelKind.IGNORED, 0, SidePolicy.AT_LEAST_ONE);
  private static final DataSchema[] SCHEMAS = {CLASSES, REGRESSION, INFERENCE};

  /** Outcomes of one fuzz target. */
  private static final class Tally {
    int loaded;
    int rejected;
    long records;

    void print(String target) {
      System.out.printf(Locale.ROOT, "fuzz %s: %d cases, %d loaded (%d records), %d rejected%n",
          target, loaded + rejected, loaded, records, rejected);
    }
  }

  @Test
  void mutatedFilesLoadValidRecordsOrFailNamingTheLine() {
    Tally tally = new Tally();
    SplittableRandom random = new SplittableRandom(31L);
    assertTimeoutPreemptively(BUDGET, () -> {
      for (int i = 0; i < 3000; i++) {
        DataSchema schema = SCHEMAS[random.nextInt(SCHEMAS.length)];
        byte[] file = validFile(schema, 1 + random.nextInt(8), random);
        byte[] input = i % 10 == 0 ? file : Mutations.mutate(file, 4, random);
        check(tally, schema, input, i % 10 == 0);
      }
    });
    tally.print("mutated JSONL files");
    assertTrue(tally.loaded > 300 && tally.rejected > 300,
        "both outcomes should be common: " + tally.loaded + " loaded, " + tally.rejected);
  }

  @Test
  void binaryNoiseFailsNamingTheLine() {
    Tally tally = new Tally();
    SplittableRandom random = new SplittableRandom(5L);
    assertTimeoutPreemptively(BUDGET, () -> {
      for (int i = 0; i < 1000; i++) {
        check(tally, SCHEMAS[i % SCHEMAS.length], Mutations.noise(random.nextInt(400), random),
            false);
      }
    });
    tally.print("binary noise");
  }

  @Test
  void adversarialLinesFailWithTheirLineNumber() {
    List<String> lines = new ArrayList<>();
    lines.add("{\"x\": " + "[".repeat(100_000));
    lines.add("{\"x\": " + "[".repeat(100_000) + "]".repeat(100_000) + ", " + valid() + "}");
    lines.add("{\"x\": " + "{\"a\":".repeat(100_000));
    lines.add("[".repeat(100_000));
    // Labels that no schema accepts; class-only rejections are checked below.
    for (String label : new String[] {"1e309", "-1e309", "NaN", "Infinity", "-Infinity",
        "\"1\"", "null", "true", "1e2147483648", "9".repeat(2000), "3.5e38", "[1]"}) {
      lines.add("{\"label\": " + label + ", \"in0\": [1], \"in1\": [2]}");
    }
    for (String id : new String[] {"50", "-1", "1e309", "2147483648", "1.0", "\"3\"", "null",
        "[1]", "99999999999999999999999"}) {
      lines.add("{\"label\": 0, \"in0\": [1, " + id + "], \"in1\": [2]}");
    }
    lines.add("{\"label\": 0, \"in0\": [1], \"in0\": [1], \"in1\": [2]}");
    lines.add("{\"label\": 0, \"in0\": [1], \"in1\": [2]} {}");
    lines.add("{\"label\": 0, \"in0\": [1], \"in1\": [2]");
    lines.add("{\"label\": 0, \"in0\": [1], \"in1\": [2], \"s\": \"\u0000\"}");
    lines.add("\"" + "s".repeat(200_000) + "\"");
    int cases = 0;
    for (String bad : lines) {
      for (DataSchema schema : new DataSchema[] {CLASSES, REGRESSION}) {
        String text = valid() + "\n\n" + bad + "\n" + valid() + "\n";
        DataFormatException e = assertTimeoutPreemptively(Duration.ofSeconds(10),
            () -> assertThrows(DataFormatException.class,
                () -> load(schema, text.getBytes(StandardCharsets.UTF_8)),
                () -> "accepted " + shown(bad)));
        assertEquals(3, e.line(), () -> "line of " + shown(bad) + ": " + e.getMessage());
        assertOneLine(e.getMessage(), bad);
        cases++;
      }
    }
    for (String label : new String[] {"1.5", "3", "-1", "2147483648", "0.9999999"}) {
      String text = valid() + "\n{\"label\": " + label + ", \"in0\": [1], \"in1\": [2]}\n";
      DataFormatException e = assertThrows(DataFormatException.class,
          () -> load(CLASSES, text.getBytes(StandardCharsets.UTF_8)), () -> "accepted " + label);
      assertEquals(2, e.line(), e.getMessage());
      assertOneLine(e.getMessage(), text);
      cases++;
    }
    System.out.printf(Locale.ROOT, "fuzz adversarial JSONL lines: %d cases, all rejected%n",
        cases);
  }

  @Test
  void invalidUtf8IsRejectedWithItsLineOrSkippedInsideIgnoredFields() {
    Tally tally = new Tally();
    byte[][] bad = {
      {(byte) 0x80}, {(byte) 0xC0, (byte) 0xAF}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
      {(byte) 0xE2, (byte) 0x82}, {(byte) 0xFF}, {(byte) 0xF8, (byte) 0x88, (byte) 0x80},
      {(byte) 0xFE, (byte) 0xFF}
    };
    for (byte[] sequence : bad) {
      for (String template : new String[] {
          "{\"label\": 0, \"in0\": [1], \"in1\": [2], \"s\": \"%s\"}",
          "{\"label\": 0, \"in0\": [1], \"%s\": [2]}", "{\"label\": 0, %s\"in0\": [1]}",
          "%s{\"label\": 0, \"in0\": [1], \"in1\": [2]}"}) {
        byte[] line = splice(template, sequence);
        byte[] text = concat(valid().getBytes(StandardCharsets.UTF_8), new byte[] {'\n'}, line);
        check(tally, CLASSES, text, false);
      }
    }
    tally.print("invalid UTF-8");
  }

  @Test
  void aHundredMegabyteLineStreamedFromAGeneratorFailsWithoutRunningOutOfMemory() {
    byte[] head = (valid() + "\n{\"label\": 0, \"in1\": [2], \"in0\": [").getBytes(
        StandardCharsets.US_ASCII);
    byte[] fill = "1, ".getBytes(StandardCharsets.US_ASCII);
    byte[] tail = "1]}\n".getBytes(StandardCharsets.US_ASCII);
    InputStream in =
        Mutations.generated(head, fill, wholeFills(head, fill, tail, 100L << 20), tail);
    DataFormatException e = assertTimeoutPreemptively(Duration.ofSeconds(30),
        () -> assertThrows(DataFormatException.class,
            () -> new JsonlRecordReader(CLASSES).load(in, SOURCE)));
    assertEquals(SOURCE + ":2: line is longer than " + JsonlRecordReader.DEFAULT_MAX_LINE_BYTES
        + " bytes", e.getMessage());
  }

  @Test
  void aLongValidLineUnderTheLimitIsReadAndTruncated() {
    byte[] head = "{\"label\": 2, \"in1\": [3], \"in0\": [".getBytes(StandardCharsets.US_ASCII);
    byte[] fill = "7, ".getBytes(StandardCharsets.US_ASCII);
    byte[] tail = "8]}\n".getBytes(StandardCharsets.US_ASCII);
    InputStream in = Mutations.generated(head, fill, wholeFills(head, fill, tail, 20L << 20), tail);
    PairDataset data = assertTimeoutPreemptively(Duration.ofSeconds(30),
        () -> new JsonlRecordReader(CLASSES).load(in, SOURCE));
    assertEquals(1, data.size());
    assertEquals(CLASSES.maxSeqLen0(), data.length(0, 0), "in0 cut to max_seq_len");
    assertEquals(1, data.truncatedCount(0));
  }

  @Test
  void aStreamThatFailsMidwayIsAChannelErrorNamingTheSource() {
    byte[] good = (valid() + "\n").repeat(3).getBytes(StandardCharsets.US_ASCII);
    InputStream failing = new InputStream() {
      private int pos;

      @Override
      public int read() throws IOException {
        if (pos >= good.length) {
          throw new IOException("Input/output error");
        }
        return good[pos++];
      }
    };
    ChannelException e = assertThrows(ChannelException.class,
        () -> new JsonlRecordReader(CLASSES).load(failing, SOURCE));
    assertEquals(SOURCE + ": read error: input/output error", e.getMessage());
  }

  // ---- the property ------------------------------------------------------------------------

  private static void check(Tally tally, DataSchema schema, byte[] input, boolean mustLoad) {
    try {
      PairDataset data = load(schema, input);
      assertObeysSchema(data, schema, input);
      tally.loaded++;
      tally.records += data.size();
    } catch (DataFormatException e) {
      if (mustLoad) {
        throw new AssertionError("rejected an unmutated file: " + e.getMessage()
            + " in " + shown(input));
      }
      long lines = countLines(input);
      assertTrue(e.line() >= 1 && e.line() <= lines,
          () -> "line " + e.line() + " of " + lines + " in " + e.getMessage());
      assertEquals(SOURCE, e.source());
      assertTrue(e.getMessage().startsWith(SOURCE + ":" + e.line() + ": "), e.getMessage());
      assertOneLine(e.getMessage(), input);
      tally.rejected++;
    } catch (RuntimeException | Error e) {
      throw new AssertionError("unexpected " + e + " for input " + shown(input), e);
    }
  }

  private static PairDataset load(DataSchema schema, byte[] input) {
    return new JsonlRecordReader(schema).load(new ByteArrayInputStream(input), SOURCE);
  }

  private static void assertObeysSchema(PairDataset data, DataSchema schema, byte[] input) {
    for (int i = 0; i < data.size(); i++) {
      boolean any = false;
      for (int side = 0; side < 2; side++) {
        if (!data.has(side, i)) {
          assertEquals(SidePolicy.AT_LEAST_ONE, schema.sides(), "missing side " + side);
          continue;
        }
        any = true;
        int[] ids = data.ids(side, i);
        assertTrue(ids.length >= 1 && ids.length <= schema.maxSeqLen(side),
            "length " + ids.length + " in " + shown(input));
        for (int id : ids) {
          assertTrue(id >= 0 && id < schema.vocabSize(side), "id " + id + " in " + shown(input));
        }
      }
      assertTrue(any, "record without sides in " + shown(input));
      float label = data.label(i);
      if (schema.labelKind() == LabelKind.CLASS) {
        assertTrue(label >= 0 && label < schema.numClasses() && label == Math.rint(label),
            "class label " + label + " in " + shown(input));
      } else {
        assertTrue(Float.isFinite(label), "label " + label + " in " + shown(input));
      }
    }
  }

  private static void assertOneLine(String message, Object input) {
    assertTrue(message.indexOf('\n') < 0 && message.indexOf('\r') < 0,
        () -> "multi-line message '" + message + "' for " + shown(input));
    assertTrue(message.length() <= MAX_MESSAGE_CHARS,
        () -> message.length() + " chars in '" + shown(message) + "'");
  }

  // ---- generators --------------------------------------------------------------------------

  private static String valid() {
    return "{\"label\": 1, \"in0\": [1, 2], \"in1\": [3]}";
  }

  private static byte[] validFile(DataSchema schema, int records, SplittableRandom random) {
    StringBuilder out = new StringBuilder();
    for (int r = 0; r < records; r++) {
      List<String> fields = new ArrayList<>();
      if (schema.labelKind() == LabelKind.CLASS) {
        fields.add("\"label\": " + random.nextInt(schema.numClasses()));
      } else if (schema.labelKind() == LabelKind.REGRESSION) {
        fields.add("\"label\": " + (random.nextDouble() * 10 - 5));
      }
      for (int side = 0; side < 2; side++) {
        StringBuilder ids = new StringBuilder("[");
        int length = 1 + random.nextInt(schema.maxSeqLen(side) + 3);
        for (int k = 0; k < length; k++) {
          ids.append(k == 0 ? "" : ", ").append(random.nextInt(schema.vocabSize(side)));
        }
        fields.add("\"in" + side + "\": " + ids + "]");
      }
      if (random.nextInt(4) == 0) {
        fields.add("\"meta\": {\"id\": \"r" + r + "\", \"w\": [1.5e3, null, true]}");
      }
      java.util.Collections.shuffle(fields, new java.util.Random(random.nextLong()));
      out.append('{').append(String.join(", ", fields)).append('}');
      out.append(random.nextInt(5) == 0 ? "\r\n" : "\n");
      if (random.nextInt(6) == 0) {
        out.append("  \n");
      }
    }
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** The stream length nearest {@code about} at which the fill repeats a whole number of times. */
  private static long wholeFills(byte[] head, byte[] fill, byte[] tail, long about) {
    long fills = (about - head.length - tail.length) / fill.length;
    return head.length + fills * fill.length + tail.length;
  }

  private static byte[] splice(String template, byte[] middle) {
    String[] parts = template.split("%s", -1);
    return concat(parts[0].getBytes(StandardCharsets.UTF_8), middle,
        parts[1].getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] concat(byte[]... parts) {
    int length = 0;
    for (byte[] p : parts) {
      length += p.length;
    }
    byte[] out = new byte[length];
    int at = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, at, p.length);
      at += p.length;
    }
    return out;
  }

  private static long countLines(byte[] input) {
    long lines = 1;
    for (int i = 0; i < input.length - 1; i++) {
      if (input[i] == '\n') {
        lines++;
      }
    }
    return lines;
  }

  private static String shown(Object input) {
    String s = input instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : (String) input;
    String escaped = s.replace("\n", "\\n").replace("\r", "\\r");
    return escaped.length() <= 300 ? escaped : escaped.substring(0, 300) + "...";
  }
}
