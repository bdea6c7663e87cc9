package dev.o2v.train.model;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.util.function.Predicate;

/** Makes chosen atomic file writes fail part-way, as on a disk that fills up mid-write. */
public final class WriteFaults {

  private WriteFaults() {}

  /**
   * From now on, writes of files whose name {@code failing} accepts throw "No space left on
   * device" after {@code bytesBeforeFailure} bytes; other writes are untouched.
   */
  public static void diskFullFor(Predicate<String> failing, long bytesBeforeFailure) {
    AtomicFiles.channelFilter = (target, channel) ->
        failing.test(target.getFileName().toString())
            ? fullAfter(channel, bytesBeforeFailure)
            : channel;
  }

  /** Every write succeeds again. */
  public static void clear() {
    AtomicFiles.channelFilter = (Path target, WritableByteChannel channel) -> channel;
  }

  private static WritableByteChannel fullAfter(WritableByteChannel channel, long budget) {
    return new WritableByteChannel() {
      private long written;

      @Override
      public int write(ByteBuffer src) throws IOException {
        written += src.remaining();
        if (written > budget) {
          throw new IOException("No space left on device");
        }
        return channel.write(src);
      }

      @Override
      public boolean isOpen() {
        return channel.isOpen();
      }

      @Override
      public void close() throws IOException {
        channel.close();
      }
    };
  }
}
