package dev.o2v.inference;

import dev.o2v.core.data.Channel;
import dev.o2v.core.data.JsonlRecordCursor;
import dev.o2v.core.data.JsonlRecordReader;
import java.util.List;

/**
 * The requests of a batch job, each with where it came from ({@code SOURCE:LINE} in messages):
 * the lines of a JSON Lines channel, or requests already in memory (encoded raw text).
 */
public final class BatchInput {

  private final Channel channel;
  private final String source;
  private final List<InferenceInstance> requests;
  private final long[] lines;

  private BatchInput(
      Channel channel, String source, List<InferenceInstance> requests, long[] lines) {
    this.channel = channel;
    this.source = source;
    this.requests = requests;
    this.lines = lines;
  }

  /** Every record of a JSON Lines channel (blank lines skipped), read as the job reads it. */
  public static BatchInput lines(Channel channel) {
    return new BatchInput(channel, null, null, null);
  }

  /**
   * Requests in memory.
   *
   * @param source what messages name as the origin of a request, e.g. a file name
   * @param requests the requests, in order
   * @param lines the line (or position) of each request in {@code source}
   */
  public static BatchInput of(String source, List<InferenceInstance> requests, long[] lines) {
    if (requests.size() != lines.length) {
      throw new IllegalArgumentException(
          requests.size() + " requests but " + lines.length + " line numbers");
    }
    return new BatchInput(null, source, List.copyOf(requests), lines.clone());
  }

  /** The requests one after another; {@code reader} and {@code modes} read a channel's lines. */
  Cursor open(JsonlRecordReader reader, LineRequests modes) {
    return channel != null ? new ChannelCursor(reader.open(channel), modes) : new ListCursor();
  }

  /** Walks the requests of an input; {@link #next} before the first. */
  interface Cursor extends AutoCloseable {

    /** Moves to the next request; false at the end. */
    boolean next();

    /** The current request. */
    InferenceInstance request();

    /** Where the current request came from. */
    String source();

    /** Its line in {@link #source()}. */
    long line();

    /**
     * True when the reader has checked every id against the model's vocabulary (so the model
     * need not check them again).
     */
    boolean idsChecked();

    @Override
    void close();
  }

  private static final class ChannelCursor implements Cursor {
    private final JsonlRecordCursor records;
    private final LineRequests modes;
    private InferenceInstance current;

    ChannelCursor(JsonlRecordCursor records, LineRequests modes) {
      this.records = records;
      this.modes = modes;
    }

    @Override
    public boolean next() {
      if (!records.next()) {
        return false;
      }
      current = modes.toRecord(records.current());
      return true;
    }

    @Override
    public InferenceInstance request() {
      return current;
    }

    @Override
    public String source() {
      return records.current().source();
    }

    @Override
    public long line() {
      return records.current().line();
    }

    @Override
    public boolean idsChecked() {
      return true;
    }

    @Override
    public void close() {
      records.close();
    }
  }

  private final class ListCursor implements Cursor {
    private int index = -1;

    @Override
    public boolean next() {
      return ++index < requests.size();
    }

    @Override
    public InferenceInstance request() {
      return requests.get(index);
    }

    @Override
    public String source() {
      return source;
    }

    @Override
    public long line() {
      return lines[index];
    }

    @Override
    public boolean idsChecked() {
      return false;
    }

    @Override
    public void close() {}
  }
}
