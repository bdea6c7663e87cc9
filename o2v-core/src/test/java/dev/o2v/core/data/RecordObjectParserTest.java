package dev.o2v.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import java.io.IOException;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RecordObjectParserTest {

  private static final JsonFactory FACTORY = new JsonFactory();
  private static final RecordObjectParser REQUESTS = RecordObjectParser.forRequests(1000, 50);

  /** Reads one request object; returns the problem, or null with {@code record} filled. */
  private static String read(String json, PairRecord record) throws IOException {
    try (JsonParser p = FACTORY.createParser(json)) {
      return REQUESTS.readRequest(p, p.nextToken(), record, RecordMessages.dataFiles());
    }
  }

  @Test
  void aRequestSideIsKeptWholeHoweverLongAndTheRecordIsReusable() throws IOException {
    PairRecord record = REQUESTS.newRecord();
    int[] ids = IntStream.range(1, 301).toArray();
    String list = IntStream.of(ids).mapToObj(Integer::toString).collect(Collectors.joining(","));
    assertNull(read("{\"in0\": [" + list + "]}", record));
    assertArrayEquals(ids, record.ids(0), "300 ids through a record that starts with room for 16");
    assertFalse(record.truncated(0));
    assertNull(read("{\"in1\": [7]}", record));
    assertFalse(record.has(0), "the previous request's side must not carry over");
    assertArrayEquals(new int[] {7}, record.ids(1));
  }

  @Test
  void aRequestKeepsIdZeroAsSent() throws IOException {
    PairRecord record = REQUESTS.newRecord();
    assertNull(read("{\"in0\": [0, 5, 0], \"in1\": []}", record));
    assertArrayEquals(new int[] {0, 5, 0}, record.ids(0));
    assertTrue(record.has(1));
    assertEquals(0, record.length(1));
  }

  @Test
  void aRequestTreatsLabelAsAnOrdinaryField() throws IOException {
    PairRecord record = REQUESTS.newRecord();
    assertNull(read("{\"label\": \"x\", \"in0\": [1], \"label\": [2]}", record));
    assertArrayEquals(new int[] {1}, record.ids(0));
  }

  @Test
  void aRequestIsCheckedAgainstTheVocabularyOfItsSideInTheCallersWording() throws IOException {
    PairRecord record = REQUESTS.newRecord();
    assertEquals("in1 id 50 at position 1 is out of range: ids must be in [0, 50)"
        + " (enc1_vocab_size=50)", read("{\"in0\": [999], \"in1\": [49, 50]}", record));
    assertEquals("record has neither in0 nor in1", read("{\"label\": 1}", record));
    assertEquals("expected a JSON object, found end of line", read("", record));
  }
}
