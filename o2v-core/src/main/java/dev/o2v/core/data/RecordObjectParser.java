package dev.o2v.core.data;

import static dev.o2v.core.io.JsonProblems.describe;
import static dev.o2v.core.io.JsonProblems.shown;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.Locale;

/**
 * Reads the fields of one record object ({@code in0}, {@code in1}, {@code label}) from a
 * streaming parser into a {@link PairRecord} and checks them against a {@link DataSchema}: the
 * one per-record reader of data files, batch inference and request bodies; immutable and
 * thread-safe.
 *
 * <p>Violations come back as one-line reasons worded by the caller's {@link RecordMessages};
 * the caller adds where the record is and handles the JSON around it.
 */
public final class RecordObjectParser {

  /** First buffer size of a request record, whose sides grow as long as they are sent. */
  private static final int REQUEST_CAPACITY = 16;

  private final DataSchema schema;
  private final boolean readsLabel;

  private RecordObjectParser(DataSchema schema, boolean readsLabel) {
    this.schema = schema;
    this.readsLabel = readsLabel;
  }

  /** A parser for data-file records of {@code schema} (the {@code label} field is read). */
  static RecordObjectParser forSchema(DataSchema schema) {
    return new RecordObjectParser(schema, true);
  }

  /**
   * A parser for inference requests: ids in {@code [0, vocabSize0)} for {@code in0} (etc.),
   * sides kept whole and as sent (no truncation, id 0 kept), at least one side, and {@code
   * label} an ordinary ignored field.
   */
  public static RecordObjectParser forRequests(int vocabSize0, int vocabSize1) {
    return new RecordObjectParser(new DataSchema(vocabSize0, Integer.MAX_VALUE, vocabSize1,
        Integer.MAX_VALUE, LabelKind.IGNORED, 0, SidePolicy.AT_LEAST_ONE, ZeroIdRule.TOKEN), false);
  }

  /** A record to read into, reused from one record to the next by one thread. */
  public PairRecord newRecord() {
    return new PairRecord(Math.min(schema.maxSeqLen0(), REQUEST_CAPACITY),
        Math.min(schema.maxSeqLen1(), REQUEST_CAPACITY));
  }

  /**
   * Reads one request object whose first token {@code first} the parser has just read, into
   * {@code record}, and checks that it has a side; leaves the parser on its closing brace.
   *
   * @param p the parser, standing on {@code first}
   * @param first the first token of the object (anything else is a violation)
   * @param record where the sides go; reset first, so one record serves one thread's requests
   * @param messages the wording of the violations
   * @return the reason it is rejected, worded by {@code messages}, or null when it is valid
   * @throws IOException when the JSON itself is malformed or unreadable
   */
  public String readRequest(JsonParser p, JsonToken first, PairRecord record,
      RecordMessages messages) throws IOException {
    record.reset("", 0);
    String problem = readFields(p, first, record, messages);
    return problem != null ? problem : checkComplete(record, messages);
  }

  /**
   * Reads the fields of the object starting at {@code first} into {@code record} (already
   * reset) and checks the label is there when the schema wants one.
   *
   * @return the reason the record is rejected, or null
   */
  String readFields(JsonParser p, JsonToken first, PairRecord record, RecordMessages messages)
      throws IOException {
    if (first != JsonToken.START_OBJECT) {
      return messages.notAnObject(describe(p, first, messages.endOfInput()));
    }
    boolean sawLabel = false;
    for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
      String name = p.currentName();
      JsonToken value = p.nextToken();
      String problem = null;
      if ("in0".equals(name) || "in1".equals(name)) {
        int side = name.charAt(2) - '0';
        problem = record.has(side)
            ? messages.duplicateField(name)
            : readIds(p, value, side, record, messages);
      } else if (readsLabel && "label".equals(name)) {
        problem = sawLabel ? messages.duplicateField(name) : readLabel(p, value, record, messages);
        sawLabel = true;
      } else {
        p.skipChildren();
      }
      if (problem != null) {
        return problem;
      }
    }
    if (readsLabel && schema.labelKind() != LabelKind.IGNORED && !sawLabel) {
      return "missing field label";
    }
    return null;
  }

  /** The reason a record lacks a side its schema requires, or null. */
  String checkComplete(PairRecord record, RecordMessages messages) {
    if (schema.sides() == SidePolicy.BOTH_REQUIRED) {
      if (!record.has(0)) {
        return "missing field in0";
      }
      return record.has(1) ? null : "missing field in1";
    }
    return record.has(0) || record.has(1) ? null : messages.noSide();
  }

  private String readIds(JsonParser p, JsonToken value, int side, PairRecord record,
      RecordMessages messages) throws IOException {
    if (value != JsonToken.START_ARRAY) {
      return messages.idsNotAnArray(side, describe(p, value, messages.endOfInput()));
    }
    int vocab = schema.vocabSize(side);
    int keep = schema.maxSeqLen(side);
    int[] out = record.buffer(side);
    // Ids below the limit go straight into the buffer; only a request record's buffer (shorter
    // than its unbounded keep) grows past it, so a data-file line costs one test per id.
    int limit = Math.min(keep, out.length);
    int count = 0;
    for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
      if (t != JsonToken.VALUE_NUMBER_INT) {
        return messages.idNotAnInteger(side, count, describe(p, t, messages.endOfInput()));
      }
      if (p.getNumberType() != JsonParser.NumberType.INT || p.getIntValue() < 0
          || p.getIntValue() >= vocab) {
        return messages.idOutOfRange(side, count, shown(p.getText()), vocab);
      }
      if (count < limit) {
        out[count] = p.getIntValue();
      } else if (count < keep) {
        out = record.grow(side);
        limit = Math.min(keep, out.length);
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

  private String readLabel(JsonParser p, JsonToken value, PairRecord record,
      RecordMessages messages) throws IOException {
    switch (schema.labelKind()) {
      case IGNORED:
        p.skipChildren();
        return null;
      case CLASS:
        return readClassLabel(p, value, record, messages);
      case REGRESSION:
        return readRegressionLabel(p, value, record, messages);
      default:
        throw new IllegalStateException("unknown label kind " + schema.labelKind());
    }
  }

  private String readClassLabel(JsonParser p, JsonToken value, PairRecord record,
      RecordMessages messages) throws IOException {
    int classes = schema.numClasses();
    if (value != JsonToken.VALUE_NUMBER_INT && value != JsonToken.VALUE_NUMBER_FLOAT) {
      return classRule() + describe(p, value, messages.endOfInput());
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

  private String readRegressionLabel(JsonParser p, JsonToken value, PairRecord record,
      RecordMessages messages) throws IOException {
    if (value != JsonToken.VALUE_NUMBER_INT && value != JsonToken.VALUE_NUMBER_FLOAT) {
      return "label must be a finite number, found "
          + describe(p, value, messages.endOfInput());
    }
    float f = (float) p.getValueAsDouble();
    if (!Float.isFinite(f)) {
      return "label must be a finite number (32-bit float range), found " + shown(p.getText());
    }
    record.setLabel(f);
    return null;
  }
}
