package dev.o2v.train.model;

import dev.o2v.core.io.BulkDataOutput;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;

/**
 * Writes files so that readers see either the old complete file or the new complete file.
 *
 * <p>The content goes to a temporary file in the same directory, is forced to disk, and is then
 * renamed over the target (an atomic rename on POSIX file systems). A crash leaves at most a
 * stray {@code .tmp} file, which readers ignore.
 */
public final class AtomicFiles {

  /**
   * Writes a file's content to the stream it is given. The stream is a {@link BulkDataOutput}
   * over the new file: large direct buffers written with {@link BulkDataOutput#write(ByteBuffer)}
   * go to the file without a copy on the Java heap, and those written with {@link
   * BulkDataOutput#writeAligned} also past the page cache where the file system allows.
   */
  @FunctionalInterface
  public interface Writer {
    void write(OutputStream out) throws IOException;
  }

  /**
   * What a write left in the target: its size and the CRC-32C of its bytes, summed as they were
   * written.
   */
  public record Written(long bytes, long crc32c) {}

  /** Size of the direct buffer small writes gather in before they go to the file. */
  private static final int BUFFER_BYTES = 1 << 20;

  /**
   * Wraps the file channel of every write. Tests replace it to make writes fail the way a full or
   * failing disk does; it is the identity otherwise.
   */
  static volatile BiFunction<Path, WritableByteChannel, WritableByteChannel> channelFilter =
      (target, channel) -> channel;

  private static final AtomicLong TEMP_COUNTER = new AtomicLong();

  private AtomicFiles() {}

  /**
   * Atomically replaces {@code target} with what {@code writer} writes.
   *
   * @return the new content's size and CRC-32C, so that a manifest need not read it back
   * @throws IOException naming {@code target} when the content cannot be written (e.g. the disk
   *     is full); {@code target} then still holds its previous content
   */
  public static Written write(Path target, Writer writer) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = newTemporaryFile(dir, target);
    Written written;
    try {
      try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE);
          BulkDataOutput out =
              BulkDataOutput.toNewFile(
                  tmp, channel, channelFilter.apply(target, channel), BUFFER_BYTES)) {
        writer.write(out);
        out.flush();
        written = new Written(channel.size(), out.crc32c().orElseThrow());
        channel.force(true); // once per file: the rename below publishes complete content only
      } catch (IOException e) {
        // "No space left on device" alone does not say which file; the user needs to know.
        throw new IOException("cannot write " + target + ": " + e.getMessage(), e);
      }
      move(tmp, target);
    } finally {
      Files.deleteIfExists(tmp);
    }
    forceDirectory(dir);
    return written;
  }

  /** Atomically replaces {@code target} with {@code bytes}. */
  public static Written write(Path target, byte[] bytes) throws IOException {
    return write(target, out -> out.write(bytes));
  }

  /**
   * Creates an empty, uniquely named temporary file beside {@code target}. Unlike {@link
   * Files#createTempFile} (always owner-only) it gets the permissions any new file gets under the
   * user's umask, so a model written by one account can be served by another.
   */
  private static Path newTemporaryFile(Path dir, Path target) throws IOException {
    while (true) {
      Path tmp = dir.resolve(String.format(Locale.ROOT, ".%s.%d-%d.tmp", target.getFileName(),
          ProcessHandle.current().pid(), TEMP_COUNTER.incrementAndGet()));
      try {
        return Files.createFile(tmp);
      } catch (FileAlreadyExistsException e) {
        // Left by an earlier process with the same id; take the next name.
      }
    }
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** Makes a rename durable; not every platform can open a directory, which is fine. */
  private static void forceDirectory(Path dir) {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // Best effort: the rename itself is still atomic.
    }
  }
}
