package dev.o2v.core.data;

import com.fasterxml.jackson.core.JsonFactory;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Reads JSON Lines records ({@code {"label": 1, "in0": [6, 17], "in1": [16, 21, 13]}}) and
 * validates them against a {@link DataSchema}; see the package documentation for the rules.
 *
 * <p>Three ways to read: a pull {@link JsonlRecordCursor} (bounded memory, e.g. batched
 * inference), a callback per record ({@link #forEach}), or a whole {@link PairDataset} ({@link
 * #load}). Instances are immutable and may be shared between threads; cursors may not.
 */
public final class JsonlRecordReader {

  /** Lines longer than this are rejected rather than buffered (64 MiB). */
  public static final int DEFAULT_MAX_LINE_BYTES = 64 << 20;

  private final DataSchema schema;
  private final RecordLineParser parser;
  private final int maxLineBytes;

  /** A reader for records of the given schema. */
  public JsonlRecordReader(DataSchema schema) {
    this(schema, DEFAULT_MAX_LINE_BYTES);
  }

  /** A reader for records of the given schema that rejects lines over {@code maxLineBytes}. */
  public JsonlRecordReader(DataSchema schema, int maxLineBytes) {
    if (maxLineBytes < 1) {
      throw new IllegalArgumentException("maxLineBytes must be >= 1, found " + maxLineBytes);
    }
    this.schema = schema;
    this.parser = new RecordLineParser(new JsonFactory(), schema);
    this.maxLineBytes = maxLineBytes;
  }

  /** The schema records are checked against. */
  public DataSchema schema() {
    return schema;
  }

  /** Opens a cursor over the channel's files, in order. */
  public JsonlRecordCursor open(Channel channel) {
    List<JsonlRecordCursor.Source> sources = new ArrayList<>();
    channel.files().forEach(f -> sources.add(JsonlRecordCursor.fileSource(f)));
    return new JsonlRecordCursor(parser, schema, sources, maxLineBytes);
  }

  /**
   * Opens a cursor over a stream (e.g. a request body); closing the cursor closes the stream.
   *
   * @param sourceName the name used in error messages in place of a file name
   */
  public JsonlRecordCursor open(InputStream in, String sourceName) {
    return new JsonlRecordCursor(parser, schema,
        List.of(JsonlRecordCursor.streamSource(in, sourceName)), maxLineBytes);
  }

  /**
   * Streams every record of the channel to {@code handler} (the record object is reused).
   *
   * @return the number of records read
   */
  public long forEach(Channel channel, Consumer<PairRecord> handler) {
    try (JsonlRecordCursor cursor = open(channel)) {
      while (cursor.next()) {
        handler.accept(cursor.current());
      }
      return cursor.recordCount();
    }
  }

  /** Reads the whole channel into a compact dataset. */
  public PairDataset load(Channel channel) {
    PairDataset.Builder builder = PairDataset.builder(schema);
    try (JsonlRecordCursor cursor = open(channel)) {
      while (cursor.next()) {
        builder.add(cursor.current());
      }
      builder.noteReadCounts(cursor.discardedCount(), cursor.zeroIdRecordCount());
    }
    return builder.build();
  }

  /** Reads a whole stream into a compact dataset; closes the stream. */
  public PairDataset load(InputStream in, String sourceName) {
    PairDataset.Builder builder = PairDataset.builder(schema);
    try (JsonlRecordCursor cursor = open(in, sourceName)) {
      while (cursor.next()) {
        builder.add(cursor.current());
      }
      builder.noteReadCounts(cursor.discardedCount(), cursor.zeroIdRecordCount());
    }
    return builder.build();
  }
}
