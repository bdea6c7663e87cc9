package dev.o2v.inference;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.o2v.core.data.PairRecord;
import dev.o2v.core.data.RecordMessages;
import dev.o2v.core.data.RecordObjectParser;
import dev.o2v.core.io.JsonProblems;
import dev.o2v.inference.internal.Shown;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Decodes an inference request body into validated {@link InferenceInstance}s with Jackson's
 * streaming parser; thread-safe. Each instance is read and checked by the same {@link
 * RecordObjectParser} as the records of a batch job, worded for a request body.
 *
 * <p>The rules are listed in the {@linkplain dev.o2v.inference package documentation}.
 */
public final class InferenceRequestDecoder {

  private static final JsonFactory FACTORY = new JsonFactory();

  private static final String END_OF_INPUT = "the end of the input";

  private final RecordObjectParser instanceParser;

  /** A decoder that accepts ids below {@code vocabSize0} for {@code in0}, etc. */
  public InferenceRequestDecoder(int vocabSize0, int vocabSize1) {
    if (vocabSize0 < 1 || vocabSize1 < 1) {
      throw new IllegalArgumentException(
          "vocabulary sizes must be positive, found " + vocabSize0 + ", " + vocabSize1);
    }
    this.instanceParser = RecordObjectParser.forRequests(vocabSize0, vocabSize1);
  }

  /**
   * The instances of a body and the format they were read in.
   *
   * @param format the format the body was read in
   * @param instances its instances, in order
   */
  public record Decoded(InferenceFormat format, List<InferenceInstance> instances) {}

  /**
   * The instances of a whole body.
   *
   * @throws InferenceRequestException with a one-line message on any violation
   */
  public List<InferenceInstance> decode(byte[] body, InferenceFormat format) {
    return format == InferenceFormat.JSON ? decodeJson(body) : decodeJsonLines(body);
  }

  /**
   * The instances of a body in its declared format, or, when none is declared, as JSON if it
   * reads as JSON and else as JSON Lines.
   *
   * @throws InferenceRequestException with a one-line message on any violation; for an
   *     undeclared format that fits neither reading, the message gives the reason of both
   */
  public Decoded decode(byte[] body, Optional<InferenceFormat> declared) {
    if (declared.isPresent()) {
      return new Decoded(declared.get(), decode(body, declared.get()));
    }
    try {
      return new Decoded(InferenceFormat.JSON, decodeJson(body));
    } catch (InferenceRequestException asJson) {
      try {
        return new Decoded(InferenceFormat.JSONLINES, decodeJsonLines(body));
      } catch (InferenceRequestException asJsonLines) {
        // Both reasons, shortened so that the message stays one readable line.
        throw new InferenceRequestException("body without a JSON Content-Type is neither JSON ("
            + Shown.line(asJson.getMessage(), 100) + ") nor JSON Lines ("
            + Shown.line(asJsonLines.getMessage(), 100) + ")");
      }
    }
  }

  private List<InferenceInstance> decodeJson(byte[] body) {
    try (JsonParser p = FACTORY.createParser(body)) {
      return readEnvelope(p, instanceParser.newRecord());
    } catch (JsonProcessingException e) {
      throw new InferenceRequestException(malformed("", e));
    } catch (IOException e) {
      throw new InferenceRequestException("unreadable body: " + Shown.line(String.valueOf(e)));
    }
  }

  private List<InferenceInstance> readEnvelope(JsonParser p, PairRecord record)
      throws IOException {
    JsonToken first = p.nextToken();
    if (first != JsonToken.START_OBJECT) {
      throw new InferenceRequestException(
          "body must be a JSON object {\"instances\": [...]}, found "
              + JsonProblems.describe(p, first, END_OF_INPUT));
    }
    List<InferenceInstance> found = null;
    for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
      String name = p.currentName();
      JsonToken value = p.nextToken();
      if (!"instances".equals(name)) {
        p.skipChildren();
      } else if (found != null) {
        throw new InferenceRequestException("duplicate field instances");
      } else {
        found = readInstanceArray(p, value, record);
      }
    }
    if (p.nextToken() != null) {
      throw new InferenceRequestException("unexpected content after the JSON object");
    }
    if (found == null) {
      throw new InferenceRequestException(
          "missing field instances: the body must be {\"instances\": [...]}");
    }
    if (found.isEmpty()) {
      throw new InferenceRequestException("instances is empty");
    }
    return found;
  }

  private List<InferenceInstance> readInstanceArray(JsonParser p, JsonToken value,
      PairRecord record) throws IOException {
    if (value != JsonToken.START_ARRAY) {
      throw new InferenceRequestException("instances must be an array of objects, found "
          + JsonProblems.describe(p, value, END_OF_INPUT));
    }
    List<InferenceInstance> found = new ArrayList<>();
    for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
      String where = "instances[" + found.size() + "]";
      found.add(readInstance(p, t, record, new RequestMessages(where, where + ".")));
    }
    return found;
  }

  private List<InferenceInstance> decodeJsonLines(byte[] body) {
    List<InferenceInstance> found = new ArrayList<>();
    PairRecord record = instanceParser.newRecord();
    int lineNumber = 0;
    for (int start = 0; start < body.length; ) {
      int end = indexOf(body, (byte) '\n', start);
      lineNumber++;
      if (!isBlank(body, start, end)) {
        found.add(decodeLine(body, start, end, "line " + lineNumber, record));
      }
      start = end + 1;
    }
    if (found.isEmpty()) {
      throw new InferenceRequestException("body holds no instances: send one JSON object per line");
    }
    return found;
  }

  private InferenceInstance decodeLine(
      byte[] body, int start, int end, String where, PairRecord record) {
    try (JsonParser p = FACTORY.createParser(body, start, end - start)) {
      InferenceInstance instance =
          readInstance(p, p.nextToken(), record, new RequestMessages(where, where + ": "));
      if (p.nextToken() != null) {
        throw new InferenceRequestException(where + ": unexpected content after the JSON object");
      }
      return instance;
    } catch (JsonProcessingException e) {
      throw new InferenceRequestException(malformed(where + ": ", e));
    } catch (IOException e) {
      throw new InferenceRequestException(
          where + ": unreadable text: " + Shown.line(String.valueOf(e)));
    }
  }

  /** Reads one instance object whose first token is {@code first}, through {@code record}. */
  private InferenceInstance readInstance(
      JsonParser p, JsonToken first, PairRecord record, RequestMessages messages)
      throws IOException {
    String problem = instanceParser.readRequest(p, first, record, messages);
    if (problem != null) {
      throw new InferenceRequestException(problem);
    }
    return new InferenceInstance(
        record.has(0) ? record.ids(0) : null, record.has(1) ? record.ids(1) : null);
  }

  /**
   * The wording of a request body: {@code where} names the instance ({@code instances[3]} or
   * {@code line 4}) and {@code fieldPrefix} goes before a field name ({@code instances[3].} or
   * {@code line 4: }).
   */
  private record RequestMessages(String where, String fieldPrefix) implements RecordMessages {

    @Override
    public String endOfInput() {
      return END_OF_INPUT;
    }

    @Override
    public String notAnObject(String found) {
      return where + ": expected an object {\"in0\": [...], \"in1\": [...]}, found " + found;
    }

    @Override
    public String duplicateField(String name) {
      return where + ": duplicate field " + name;
    }

    @Override
    public String idsNotAnArray(int side, String found) {
      return field(side) + ": must be an array of integer ids, found " + found;
    }

    @Override
    public String idNotAnInteger(int side, int position, String found) {
      return String.format(Locale.ROOT,
          "%s[%d]: expected an integer id, found %s", field(side), position, found);
    }

    @Override
    public String idOutOfRange(int side, int position, String id, int vocabSize) {
      return String.format(Locale.ROOT,
          "%s[%d]: id %s is outside the vocabulary [0, %d)", field(side), position, id, vocabSize);
    }

    @Override
    public String noSide() {
      return where + ": has neither in0 nor in1";
    }

    private String field(int side) {
      return fieldPrefix + (side == 0 ? "in0" : "in1");
    }
  }

  private static String malformed(String prefix, JsonProcessingException e) {
    String message = e.getOriginalMessage() == null ? "" : JsonProblems.reason(e);
    // Jackson appends a "[Source: ...; line: 1, column: 7]" marker; the location is added below.
    message = message.replaceAll("\\[Source: [^\\]]*\\]", "")
        .replaceAll("\\(start marker at\\s*\\)", "");
    var location = e.getLocation();
    String where;
    if (location == null) {
      where = "";
    } else if (prefix.isEmpty()) {
      where = String.format(Locale.ROOT, " at line %d, column %d",
          location.getLineNr(), location.getColumnNr());
    } else {
      // One JSON Lines record is parsed on its own: its line is already in the prefix.
      where = String.format(Locale.ROOT, " at column %d", location.getColumnNr());
    }
    return Shown.line(prefix + "malformed JSON" + where + ": " + message);
  }

  private static int indexOf(byte[] bytes, byte b, int from) {
    for (int i = from; i < bytes.length; i++) {
      if (bytes[i] == b) {
        return i;
      }
    }
    return bytes.length;
  }

  private static boolean isBlank(byte[] bytes, int start, int end) {
    for (int i = start; i < end; i++) {
      byte b = bytes[i];
      if (b != ' ' && b != '\t' && b != '\r') {
        return false;
      }
    }
    return true;
  }
}
