package dev.o2v.inference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class InferenceRequestDecoderTest {

  private final InferenceRequestDecoder decoder = new InferenceRequestDecoder(1000, 50);

  private List<InferenceInstance> json(String body) {
    return decoder.decode(body.getBytes(StandardCharsets.UTF_8), InferenceFormat.JSON);
  }

  private List<InferenceInstance> lines(String body) {
    return decoder.decode(body.getBytes(StandardCharsets.UTF_8), InferenceFormat.JSONLINES);
  }

  private String jsonError(String body) {
    return assertThrows(InferenceRequestException.class, () -> json(body), body).getMessage();
  }

  private String linesError(String body) {
    return assertThrows(InferenceRequestException.class, () -> lines(body), body).getMessage();
  }

  private InferenceRequestDecoder.Decoded undeclared(String body) {
    return decoder.decode(body.getBytes(StandardCharsets.UTF_8), Optional.empty());
  }

  @Test
  void anUndeclaredBodyIsJsonWhenItReadsAsJson() {
    InferenceRequestDecoder.Decoded got =
        undeclared("{\"instances\": [{\"in0\": [1, 2]}, {\"in1\": [3]}]}");
    assertEquals(InferenceFormat.JSON, got.format());
    assertEquals(2, got.instances().size(), got.instances().toString());
  }

  @Test
  void anUndeclaredBodyThatIsNotJsonIsReadAsJsonLines() {
    InferenceRequestDecoder.Decoded two = undeclared("{\"in0\": [1, 2]}\n{\"in1\": [3]}\n");
    assertEquals(InferenceFormat.JSONLINES, two.format());
    assertEquals(2, two.instances().size(), two.instances().toString());
    InferenceRequestDecoder.Decoded one = undeclared("{\"in0\": [7], \"in1\": [8]}");
    assertEquals(InferenceFormat.JSONLINES, one.format(), "an instance without an envelope");
    assertTrue(one.instances().get(0).isPair(), one.instances().toString());
  }

  @Test
  void anUndeclaredBodyThatFitsNeitherFormatGivesBothReasonsInOneLine() {
    String message = assertThrows(InferenceRequestException.class,
        () -> undeclared("{\"instances\": [{\"in0\": [1, 2000]}]}")).getMessage();
    assertTrue(message.contains("neither JSON (instances[0].in0[1]: id 2000")
        && message.contains("nor JSON Lines (line 1"), message);
    assertFalse(message.contains("\n"), message);
  }

  @Test
  void aDeclaredFormatIsNeverGuessed() {
    byte[] lines = "{\"in0\": [1]}\n{\"in0\": [2]}\n".getBytes(StandardCharsets.UTF_8);
    assertThrows(InferenceRequestException.class,
        () -> decoder.decode(lines, Optional.of(InferenceFormat.JSON)));
    assertEquals(InferenceFormat.JSONLINES,
        decoder.decode(lines, Optional.of(InferenceFormat.JSONLINES)).format());
  }

  @Test
  void jsonEnvelopeYieldsPairsAndSingleSidesInOrder() {
    List<InferenceInstance> got = json(
        "{\"instances\": [{\"in0\": [1, 2], \"in1\": [3], \"label\": 1},"
            + " {\"in1\": [49]}, {\"in0\": [999]}], \"other\": {\"x\": [1]}}");
    assertEquals(3, got.size());
    assertTrue(got.get(0).isPair());
    assertArrayEquals(new int[] {1, 2}, got.get(0).in0());
    assertArrayEquals(new int[] {3}, got.get(0).in1());
    assertNull(got.get(1).in0());
    assertEquals(1, got.get(1).singleSide());
    assertArrayEquals(new int[] {999}, got.get(2).in0());
    assertFalse(got.get(2).isPair());
  }

  @Test
  void jsonLinesSkipsBlankLinesAndAcceptsCarriageReturns() {
    List<InferenceInstance> got = lines("{\"in0\": [1]}\r\n\n  \n{\"in0\": [2], \"in1\": [3]}\n");
    assertEquals(2, got.size());
    assertArrayEquals(new int[] {2}, got.get(1).in0());
  }

  @Test
  void emptyAndAllZeroSidesAreDecodedAsSentForTheModelToEncodeAsZeros() {
    List<InferenceInstance> got =
        json("{\"instances\": [{\"in1\": []}, {\"in0\": [0, 0], \"in1\": []}]}");
    assertEquals(2, got.size());
    assertArrayEquals(new int[0], got.get(0).in1());
    assertArrayEquals(new int[] {0, 0}, got.get(1).in0());
    assertArrayEquals(new int[0], got.get(1).in1());
    assertArrayEquals(new int[0], lines("{\"in0\": []}\n").get(0).in0());
  }

  @Test
  void longSequencesAreKeptWhole() {
    StringBuilder ids = new StringBuilder("0");
    for (int i = 1; i < 300; i++) {
      ids.append(',').append(i);
    }
    assertEquals(300, json("{\"instances\": [{\"in0\": [" + ids + "]}]}").get(0).in0().length);
  }

  @Test
  void idOutsideTheVocabularyNamesInstanceSidePositionAndRange() {
    assertEquals("instances[1].in1[2]: id 50 is outside the vocabulary [0, 50)",
        jsonError("{\"instances\": [{\"in0\": [1]}, {\"in0\": [1], \"in1\": [0, 1, 50]}]}"));
    assertEquals("instances[0].in0[0]: id -1 is outside the vocabulary [0, 1000)",
        jsonError("{\"instances\": [{\"in0\": [-1]}]}"));
    assertEquals("instances[0].in0[0]: id 99999999999 is outside the vocabulary [0, 1000)",
        jsonError("{\"instances\": [{\"in0\": [99999999999]}]}"));
  }

  @Test
  void wrongShapesAreNamed() {
    assertEquals("body must be a JSON object {\"instances\": [...]}, found an array",
        jsonError("[{\"in0\": [1]}]"));
    assertEquals("instances must be an array of objects, found an object",
        jsonError("{\"instances\": {\"in0\": [1]}}"));
    assertEquals("instances[0]: expected an object {\"in0\": [...], \"in1\": [...]}, found 5",
        jsonError("{\"instances\": [5]}"));
    assertEquals("instances[0].in0: must be an array of integer ids, found string \"1 2\"",
        jsonError("{\"instances\": [{\"in0\": \"1 2\"}]}"));
    assertEquals("instances[0].in1: must be an array of integer ids, found null",
        jsonError("{\"instances\": [{\"in1\": null}]}"));
    assertEquals("instances[0].in0[1]: expected an integer id, found 2.0",
        jsonError("{\"instances\": [{\"in0\": [1, 2.0]}]}"));
    assertEquals("instances[0].in0[0]: expected an integer id, found an array",
        jsonError("{\"instances\": [{\"in0\": [[1]]}]}"));
  }

  @Test
  void missingOrEmptyContentIsRejected() {
    assertEquals("instances is empty", jsonError("{\"instances\": []}"));
    assertEquals("missing field instances: the body must be {\"instances\": [...]}",
        jsonError("{\"data\": []}"));
    assertEquals("instances[0]: has neither in0 nor in1",
        jsonError("{\"instances\": [{\"label\": 1}]}"));
    assertEquals("instances[0]: duplicate field in0",
        jsonError("{\"instances\": [{\"in0\": [1], \"in0\": [2]}]}"));
    assertEquals("duplicate field instances",
        jsonError("{\"instances\": [{\"in0\": [1]}], \"instances\": []}"));
    assertEquals("body must be a JSON object {\"instances\": [...]}, found the end of the input",
        jsonError(""));
    assertEquals("body holds no instances: send one JSON object per line", linesError("\n \n"));
  }

  @Test
  void malformedJsonIsOneLineWithItsPosition() {
    String truncated = jsonError("{\"instances\": [{\"in0\": [1, 2");
    assertTrue(truncated.startsWith("malformed JSON at line 1, column "), truncated);
    assertFalse(truncated.contains("\n") || truncated.contains("Source"), truncated);
    String garbage = jsonError("{\"instances\": [{\"in0\": [1]}]} trailing");
    assertTrue(garbage.startsWith("malformed JSON") || garbage.startsWith("unexpected"), garbage);
    String badLine = linesError("{\"in0\": [1]}\n{\"in0\": [1,,]}\n");
    assertTrue(badLine.startsWith("line 2: malformed JSON at column "), badLine);
  }

  @Test
  void secondObjectOnOneJsonLinesLineIsRejected() {
    assertEquals("line 1: unexpected content after the JSON object",
        linesError("{\"in0\": [1]} {\"in0\": [2]}"));
    assertEquals("unexpected content after the JSON object",
        jsonError("{\"instances\": [{\"in0\": [1]}]} {}"));
  }

  @Test
  void jsonLinesErrorsNameThePhysicalLine() {
    assertEquals("line 3: in0[0]: id 1000 is outside the vocabulary [0, 1000)",
        linesError("{\"in0\": [1]}\n\n{\"in0\": [1000]}"));
    assertEquals("line 1: expected an object {\"in0\": [...], \"in1\": [...]}, found an array",
        linesError("[1, 2]"));
  }

  @Test
  void invalidUtf8IsABadRequest() {
    byte[] body = {'{', '"', 'i', 'n', 's', (byte) 0xC3, (byte) 0x28, '"', ':', '1', '}'};
    InferenceRequestException e = assertThrows(InferenceRequestException.class,
        () -> decoder.decode(body, InferenceFormat.JSON));
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
  }
}
