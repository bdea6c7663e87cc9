package dev.o2v.core.data;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import dev.o2v.core.io.JsonProblems;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.Locale;

/**
 * Parses one JSON Lines record with Jackson's streaming parser (no tree per line) and validates
 * it against a {@link DataSchema}, filling a reused {@link PairRecord}.
 */
final class RecordLineParser {

  private static final int MAX_SHOWN_CHARS = 40;

  private final JsonFactory factory;
  private final DataSchema schema;

  RecordLineParser(JsonFactory factory, DataSchema schema) {
    this.factory = factory;
    this.schema = schema;
  }

  /**
   * Parses {@code bytes[start..end)} into {@code record}.
   *
   * @throws DataFormatException naming {@code source} and {@code line} on any violation
   */
  void parse(byte[] bytes, int start, int end, String source, long line, PairRecord record) {
    record.reset(source, line);
    try (JsonParser p = factory.createParser(bytes, start, end - start)) {
      String problem = parseObject(p, record);
      if (problem == null) {
        problem = checkComplete(record);
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

  /** Returns a problem description, or null when the object was read completely. */
  private String parseObject(JsonParser p, PairRecord record) throws IOException {
    JsonToken first = p.nextToken();
    if (first != JsonToken.START_OBJECT) {
      return "expected a JSON object, found " + describe(p, first);
    }
    boolean sawLabel = false;
    for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
      String name = p.currentName();
      JsonToken value = p.nextToken();
      String problem = null;
      if ("in0".equals(name) || "in1".equals(name)) {
        int side = name.charAt(2) - '0';
        problem = record.has(side) ? "duplicate field " + name : readIds(p, value, side, record);
      } else if ("label".equals(name)) {
        problem = sawLabel ? "duplicate field label" : readLabel(p, value, record);
        sawLabel = true;
      } else {
        p.skipChildren();
      }
      if (problem != null) {
        return problem;
      }
    }
    if (schema.labelKind() != LabelKind.IGNORED && !sawLabel) {
      return "missing field label";
    }
    JsonToken trailing = p.nextToken();
    return trailing == null ? null : "unexpected content after the JSON object";
  }

  private String checkComplete(PairRecord record) {
    if (schema.sides() == SidePolicy.BOTH_REQUIRED) {
      if (!record.has(0)) {
        return "missing field in0";
      }
      return record.has(1) ? null : "missing field in1";
    }
    return record.has(0) || record.has(1) ? null : "record has neither in0 nor in1";
  }

  private String readIds(JsonParser p, JsonToken value, int side, PairRecord record)
      throws IOException {
    String field = DataSchema.fieldName(side);
    if (value != JsonToken.START_ARRAY) {
      return field + " must be an array of integer ids, found " + describe(p, value);
    }
    int vocab = schema.vocabSize(side);
    int keep = schema.maxSeqLen(side);
    int[] out = record.buffer(side);
    int count = 0;
    for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
      if (t != JsonToken.VALUE_NUMBER_INT) {
        return String.format(Locale.ROOT,
            "%s must contain only integer ids, found %s at position %d",
            field, describe(p, t), count);
      }
      if (p.getNumberType() != JsonParser.NumberType.INT || p.getIntValue() < 0
          || p.getIntValue() >= vocab) {
        return String.format(Locale.ROOT,
            "%s id %s at position %d is out of range: ids must be in [0, %d) (enc%d_vocab_size=%d)",
            field, shown(p.getText()), count, vocab, side, vocab);
      }
      if (count < keep) {
        out[count] = p.getIntValue();
      }
      if (p.getIntValue() == 0) {
        record.markZeroId();
      }
      count++;
    }
    // An empty side is not malformed: the network sees it as the zero vector, and a training
    // schema discards the record (the cursor counts it).
    int kept = schema.zeroIds().applyInPlace(out, count, keep);
    record.setSide(side, kept, count, count > keep);
    return null;
  }

  private String readLabel(JsonParser p, JsonToken value, PairRecord record) throws IOException {
    switch (schema.labelKind()) {
      case IGNORED:
        p.skipChildren();
        return null;
      case CLASS:
        return readClassLabel(p, value, record);
      case REGRESSION:
        return readRegressionLabel(p, value, record);
      default:
        throw new IllegalStateException("unknown label kind " + schema.labelKind());
    }
  }

  private String readClassLabel(JsonParser p, JsonToken value, PairRecord record)
      throws IOException {
    int classes = schema.numClasses();
    if (value != JsonToken.VALUE_NUMBER_INT && value != JsonToken.VALUE_NUMBER_FLOAT) {
      return classRule() + describe(p, value);
    }
    double d = p.getValueAsDouble();
    if (!(d >= 0 && d < classes && d == Math.rint(d))) {
      return classRule() + shown(p.getText());
    }
    record.setLabel((float) d);
    return null;
  }

  private String classRule() {
    int classes = schema.numClasses();
    return String.format(Locale.ROOT,
        "label must be an integer class in [0, %d) (num_classes=%d), found ", classes, classes);
  }

  private String readRegressionLabel(JsonParser p, JsonToken value, PairRecord record)
      throws IOException {
    if (value != JsonToken.VALUE_NUMBER_INT && value != JsonToken.VALUE_NUMBER_FLOAT) {
      return "label must be a finite number, found " + describe(p, value);
    }
    float f = (float) p.getValueAsDouble();
    if (!Float.isFinite(f)) {
      return "label must be a finite number (32-bit float range), found " + shown(p.getText());
    }
    record.setLabel(f);
    return null;
  }

  /** A short description of the current value for messages. */
  private static String describe(JsonParser p, JsonToken t) throws IOException {
    if (t == null) {
      return "end of line";
    }
    switch (t) {
      case START_OBJECT:
        return "an object";
      case START_ARRAY:
        return "an array";
      case VALUE_STRING:
        return "string \"" + shown(p.getText()) + "\"";
      case VALUE_NULL:
        return "null";
      case VALUE_TRUE:
      case VALUE_FALSE:
      case VALUE_NUMBER_INT:
      case VALUE_NUMBER_FLOAT:
        return shown(p.getText());
      default:
        return t.asString() == null ? t.name() : t.asString();
    }
  }

  private static String shown(String text) {
    String clean = text.replaceAll("\\p{Cntrl}", "?");
    return clean.length() <= MAX_SHOWN_CHARS ? clean : clean.substring(0, MAX_SHOWN_CHARS) + "...";
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
