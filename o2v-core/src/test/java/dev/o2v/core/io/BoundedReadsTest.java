package dev.o2v.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BoundedReadsTest {

  @TempDir Path dir;

  @Test
  void aFileOverTheLimitFailsNamingTheLimit() throws IOException {
    Path file = Files.write(dir.resolve("big.json"), new byte[2049]);
    IOException e = assertThrows(IOException.class, () -> BoundedText.readUtf8(file, 2048));
    assertEquals("larger than 2 KiB, the limit for this file", e.getMessage());
  }

  @Test
  void aFileAtTheLimitIsReadWithoutItsByteOrderMark() throws IOException {
    byte[] text = "\uFEFF{}".getBytes(StandardCharsets.UTF_8);
    Path file = Files.write(dir.resolve("bom.json"), text);
    assertEquals("{}", BoundedText.readUtf8(file, text.length));
  }

  @Test
  void bytesThatAreNotUtf8AreReportedWithTheirOffset() throws IOException {
    Path file = Files.write(dir.resolve("latin1.json"), new byte[] {'{', '"', (byte) 0xE9, '"'});
    IOException e = assertThrows(IOException.class, () -> BoundedText.readUtf8(file, 100));
    assertEquals("not valid UTF-8 text (at byte 2)", e.getMessage());
  }

  @Test
  void aLineOverTheLimitFailsWithItsNumber() throws IOException {
    String text = "short\n" + "x".repeat(11) + "\n";
    try (BufferedReader in = new BufferedReader(new LineLengthLimit(new StringReader(text), 10))) {
      // The buffered reader reads ahead, so the failure may come with the line before it.
      LineLengthLimit.LineTooLongException e =
          assertThrows(LineLengthLimit.LineTooLongException.class, () -> {
            while (in.readLine() != null) {
              // read to the end
            }
          });
      assertEquals(2, e.line());
    }
  }

  @Test
  void linesUpToTheLimitReadWhole() throws IOException {
    String text = "x".repeat(10) + "\n" + "y".repeat(10);
    try (BufferedReader in = new BufferedReader(new LineLengthLimit(new StringReader(text), 10))) {
      assertEquals("x".repeat(10), in.readLine());
      assertEquals("y".repeat(10), in.readLine());
    }
  }

  @Test
  void jsonProblemsNameNoParserFeaturesOrConstraints() {
    String[] documents = {"{\"a\": NaN}", "{\"a\": +1}", "{\"a\": 1" + "0".repeat(1500) + "}",
        "// note\n{}", "[".repeat(1500)};
    ObjectMapper json = new ObjectMapper();
    for (String document : documents) {
      JsonProcessingException e =
          assertThrows(JsonProcessingException.class, () -> json.readTree(document));
      String reason = JsonProblems.reason(e);
      for (String internal : new String[] {"`", "Feature", "Constraints", "Source", "\n"}) {
        assertFalse(reason.contains(internal), "'" + internal + "' in: " + reason);
      }
      assertFalse(reason.isBlank(), "a reason for " + document.substring(0, 5));
    }
  }
}
