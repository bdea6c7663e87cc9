package dev.o2v.core.data;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.o2v.core.io.JsonProblems;
import java.io.IOException;

/**
 * Parses one JSON Lines record with Jackson's streaming parser (no tree per line) and validates
 * it against a {@link DataSchema}, filling a reused {@link PairRecord}; the record itself is
 * read by the {@link RecordObjectParser} that request bodies use too.
 */
final class RecordLineParser {

  private final JsonFactory factory;
  private final RecordObjectParser objects;

  RecordLineParser(JsonFactory factory, DataSchema schema) {
    this.factory = factory;
    this.objects = RecordObjectParser.forSchema(schema);
  }

  /**
   * Parses {@code bytes[start..end)} into {@code record}.
   *
   * @throws DataFormatException naming {@code source} and {@code line} on any violation
   */
  void parse(byte[] bytes, int start, int end, String source, long line, PairRecord record) {
    record.reset(source, line);
    RecordMessages messages = RecordMessages.dataFiles();
    try (JsonParser p = factory.createParser(bytes, start, end - start)) {
      String problem = objects.readFields(p, p.nextToken(), record, messages);
      if (problem == null && p.nextToken() != null) {
        problem = "unexpected content after the JSON object";
      }
      if (problem == null) {
        problem = objects.checkComplete(record, messages);
      }
      if (problem != null) {
        throw new DataFormatException(source, line, problem);
      }
    } catch (JsonProcessingException e) {
      throw new DataFormatException(source, line, "malformed JSON: " + oneLine(e));
    } catch (IOException e) {
      // Encoding problems surface as CharConversionException; the input is in memory.
      throw new DataFormatException(source, line, "unreadable text: " + oneLine(e));
    }
  }

  private static String oneLine(Exception e) {
    String message = e instanceof JsonProcessingException json
        ? JsonProblems.reason(json)
        : e.getMessage();
    if (message == null) {
      message = e.getClass().getSimpleName();
    }
    message = message.replaceAll("\\s+", " ").trim();
    return message.length() <= 200 ? message : message.substring(0, 200) + "...";
  }
}
