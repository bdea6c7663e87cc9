package dev.o2v.inference;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.o2v.core.io.JsonProblems;
import dev.o2v.inference.internal.Shown;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Decodes an inference request body into validated {@link InferenceInstance}s with Jackson's
 * streaming parser; thread-safe.
 *
 * <p>The rules are listed in the {@linkplain dev.o2v.inference package documentation}.
 */
public final class InferenceRequestDecoder {

  private static final JsonFactory FACTORY = new JsonFactory();

  private final int[] vocabSize;

  /** A decoder that accepts ids below {@code vocabSize0} for {@code in0}, etc. */
  public InferenceRequestDecoder(int vocabSize0, int vocabSize1) {
    if (vocabSize0 < 1 || vocabSize1 < 1) {
      throw new IllegalArgumentException(
          "vocabulary sizes must be positive, found " + vocabSize0 + ", " + vocabSize1);
    }
    this.vocabSize = new int[] {vocabSize0, vocabSize1};
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
      return readEnvelope(p);
    } catch (JsonProcessingException e) {
      throw new InferenceRequestException(malformed("", e));
    } catch (IOException e) {
      throw new InferenceRequestException("unreadable body: " + Shown.line(String.valueOf(e)));
    }
  }

  private List<InferenceInstance> readEnvelope(JsonParser p) throws IOException {
    JsonToken first = p.nextToken();
    if (first != JsonToken.START_OBJECT) {
      throw new InferenceRequestException(
          "body must be a JSON object {\"instances\": [...]}, found " + describe(p, first));
    }
    List<InferenceInstance> instances = null;
    for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
      String name = p.currentName();
      JsonToken value = p.nextToken();
      if (!"instances".equals(name)) {
        p.skipChildren();
      } else if (instances != null) {
        throw new InferenceRequestException("duplicate field instances");
      } else {
        instances = readInstanceArray(p, value);
      }
    }
    if (p.nextToken() != null) {
      throw new InferenceRequestException("unexpected content after the JSON object");
    }
    if (instances == null) {
      throw new InferenceRequestException(
          "missing field instances: the body must be {\"instances\": [...]}");
    }
    if (instances.isEmpty()) {
      throw new InferenceRequestException("instances is empty");
    }
    return instances;
  }

  private List<InferenceInstance> readInstanceArray(JsonParser p, JsonToken value)
      throws IOException {
    if (value != JsonToken.START_ARRAY) {
      throw new InferenceRequestException(
          "instances must be an array of objects, found " + describe(p, value));
    }
    List<InferenceInstance> instances = new ArrayList<>();
    for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
      String where = "instances[" + instances.size() + "]";
      instances.add(readInstance(p, t, where, where + "."));
    }
    return instances;
  }

  private List<InferenceInstance> decodeJsonLines(byte[] body) {
    List<InferenceInstance> instances = new ArrayList<>();
    int lineNumber = 0;
    for (int start = 0; start < body.length; ) {
      int end = indexOf(body, (byte) '\n', start);
      lineNumber++;
      if (!isBlank(body, start, end)) {
        instances.add(decodeLine(body, start, end, "line " + lineNumber));
      }
      start = end + 1;
    }
    if (instances.isEmpty()) {
      throw new InferenceRequestException("body holds no instances: send one JSON object per line");
    }
    return instances;
  }

  private InferenceInstance decodeLine(byte[] body, int start, int end, String where) {
    try (JsonParser p = FACTORY.createParser(body, start, end - start)) {
      InferenceInstance instance = readInstance(p, p.nextToken(), where, where + ": ");
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

  /**
   * Reads one instance object; {@code where} names it in messages and {@code fieldPrefix} goes
   * before a field name ({@code instances[3].} or {@code line 4: }).
   */
  private InferenceInstance readInstance(
      JsonParser p, JsonToken first, String where, String fieldPrefix) throws IOException {
    if (first != JsonToken.START_OBJECT) {
      throw new InferenceRequestException(
          where + ": expected an object {\"in0\": [...], \"in1\": [...]}, found "
              + describe(p, first));
    }
    int[][] sides = new int[2][];
    for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
      String name = p.currentName();
      JsonToken value = p.nextToken();
      if ("in0".equals(name) || "in1".equals(name)) {
        int side = name.charAt(2) - '0';
        if (sides[side] != null) {
          throw new InferenceRequestException(where + ": duplicate field " + name);
        }
        sides[side] = readIds(p, value, side, fieldPrefix + name);
      } else {
        p.skipChildren();
      }
    }
    if (sides[0] == null && sides[1] == null) {
      throw new InferenceRequestException(where + ": has neither in0 nor in1");
    }
    return new InferenceInstance(sides[0], sides[1]);
  }

  private int[] readIds(JsonParser p, JsonToken value, int side, String where)
      throws IOException {
    if (value != JsonToken.START_ARRAY) {
      throw new InferenceRequestException(
          where + ": must be an array of integer ids, found " + describe(p, value));
    }
    int[] ids = new int[16];
    int count = 0;
    for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
      if (t != JsonToken.VALUE_NUMBER_INT) {
        throw new InferenceRequestException(String.format(Locale.ROOT,
            "%s[%d]: expected an integer id, found %s", where, count, describe(p, t)));
      }
      boolean fits = p.getNumberType() == JsonParser.NumberType.INT;
      if (!fits || p.getIntValue() < 0 || p.getIntValue() >= vocabSize[side]) {
        throw new InferenceRequestException(String.format(Locale.ROOT,
            "%s[%d]: id %s is outside the vocabulary [0, %d)",
            where, count, Shown.text(p.getText()), vocabSize[side]));
      }
      if (count == ids.length) {
        ids = Arrays.copyOf(ids, count * 2);
      }
      ids[count++] = p.getIntValue();
    }
    return Arrays.copyOf(ids, count);
  }

  /** A short description of the current token for messages. */
  private static String describe(JsonParser p, JsonToken t) throws IOException {
    if (t == null) {
      return "the end of the input";
    }
    switch (t) {
      case START_OBJECT:
        return "an object";
      case START_ARRAY:
        return "an array";
      case VALUE_STRING:
        return "string \"" + Shown.text(p.getText()) + "\"";
      case VALUE_NULL:
        return "null";
      default:
        return Shown.text(p.getText());
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
