package dev.o2v.inference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultWriterTest {

  private static final List<InferenceResult> MIXED =
      List.of(
          InferenceResult.ofScores(new float[] {0.25f, 0.75f}),
          InferenceResult.ofEmbeddings(new float[] {1e-7f, -3f, 0.1f}));

  @TempDir Path dir;

  @Test
  void jsonLinesWritesOneObjectPerResultWithShortestFloats() throws Exception {
    String text = write(InferenceFormat.JSONLINES, MIXED);
    assertEquals(
        "{\"scores\":[0.25,0.75]}\n{\"embeddings\":[1.0E-7,-3.0,0.1]}\n", text);
  }

  @Test
  void jsonDocumentHoldsThePredictionsInOrder() throws Exception {
    JsonNode doc = new ObjectMapper().readTree(write(InferenceFormat.JSON, MIXED));
    JsonNode predictions = doc.get("predictions");
    assertEquals(2, predictions.size(), doc.toString());
    assertEquals(0.75, predictions.get(0).get("scores").get(1).asDouble(), 1e-9);
    float first = (float) predictions.get(1).get("embeddings").get(0).asDouble();
    assertEquals(1e-7f, first, 0f, "the float must read back exactly");
  }

  @Test
  void emptyJsonDocumentIsStillValid() throws Exception {
    assertEquals("{\"predictions\":[]}\n", write(InferenceFormat.JSON, List.of()));
  }

  @Test
  void tsvWritesTabSeparatedRows() throws Exception {
    List<InferenceResult> rows =
        List.of(
            InferenceResult.ofEmbeddings(new float[] {1f, 2.5f}),
            InferenceResult.ofEmbeddings(new float[] {-0.5f, 3f}));
    assertEquals("1.0\t2.5\n-0.5\t3.0\n", write(InferenceFormat.TSV, rows));
  }

  @Test
  void nonFiniteValuesBecomeJsonNull() {
    assertEquals("null,1.5,null",
        JsonFloats.appendAll(new StringBuilder(), new float[] {Float.NaN, 1.5f,
            Float.POSITIVE_INFINITY}, ',').toString());
  }

  @Test
  void npyFileHasAVersionOneHeaderAndLittleEndianRows() throws Exception {
    Path file = dir.resolve("e.npy");
    int rows = 1000;
    try (FileChannel channel =
            FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        ResultWriter writer = ResultWriter.npy(channel, 3)) {
      for (int r = 0; r < rows; r++) {
        writer.write(InferenceResult.ofEmbeddings(new float[] {r, -r, r / 8f}));
      }
      writer.finish();
    }
    byte[] bytes = Files.readAllBytes(file);
    assertEquals(128 + rows * 3 * 4, bytes.length, "file size");
    assertArrayEquals(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0},
        java.util.Arrays.copyOf(bytes, 8));
    ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    int headerLength = Short.toUnsignedInt(buffer.getShort(8));
    assertEquals(0, (10 + headerLength) % 64, "data must start on a 64-byte boundary");
    String header = new String(bytes, 10, headerLength, StandardCharsets.US_ASCII);
    assertEquals("{'descr': '<f4', 'fortran_order': False, 'shape': (1000, 3), }",
        header.trim());
    assertEquals('\n', header.charAt(header.length() - 1));
    buffer.position(10 + headerLength);
    for (int r = 0; r < rows; r++) {
      assertEquals(r, buffer.getFloat(), 0f);
      assertEquals(-r, buffer.getFloat(), 0f);
      assertEquals(r / 8f, buffer.getFloat(), 0f);
    }
  }

  @Test
  void npyRejectsRowsOfAnotherWidth() throws Exception {
    try (FileChannel channel =
            FileChannel.open(dir.resolve("w.npy"), StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE);
        ResultWriter writer = ResultWriter.npy(channel, 3)) {
      assertThrows(IllegalStateException.class,
          () -> writer.write(InferenceResult.ofScores(new float[] {0.5f, 0.5f})));
    }
  }

  @Test
  void npyIsNotAStreamFormat() {
    assertThrows(IllegalArgumentException.class,
        () -> ResultWriter.text(InferenceFormat.NPY, new StringWriter()));
  }

  @Test
  void mediaTypesNameTheTwoJsonFormats() {
    assertEquals(InferenceFormat.JSONLINES, InferenceFormat.ofAcceptType("application/jsonlines"));
    assertEquals(InferenceFormat.JSON, InferenceFormat.ofAcceptType("Application/JSON"));
    assertThrows(IllegalArgumentException.class, () -> InferenceFormat.ofAcceptType("text/csv"));
  }

  private static String write(InferenceFormat format, List<InferenceResult> results)
      throws Exception {
    StringWriter out = new StringWriter();
    try (ResultWriter writer = ResultWriter.text(format, out)) {
      for (InferenceResult r : results) {
        writer.write(r);
      }
      writer.finish();
    }
    return out.toString();
  }
}
