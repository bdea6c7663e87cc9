package dev.o2v.train.model;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The lock a training run holds on its model directory, so that two runs never write one
 * directory at once.
 *
 * <p>It is an operating-system lock on {@value ModelDirectoryContents#LOCK_FILE}: a run that is
 * killed releases it with its process, so no stale lock is ever left to clear by hand. The file
 * itself stays (deleting it would let a waiting run lock a file that is no longer the one the
 * next run creates); it holds the process id of the last run that locked it, for messages.
 */
public final class ModelDirectoryLock implements AutoCloseable {

  /**
   * Lock files this process holds. Checked before a file is opened: on POSIX systems closing any
   * descriptor of a file drops every lock the process has on it, so a second attempt from this
   * process must not open and close the file.
   */
  private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

  private final Path file;
  private final FileChannel channel;
  private final FileLock lock;

  private ModelDirectoryLock(Path file, FileChannel channel, FileLock lock) {
    this.file = file;
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Creates {@code dir} if needed and locks it.
   *
   * @return the lock, or empty when another run (in this or another process) holds it
   */
  public static Optional<ModelDirectoryLock> tryAcquire(Path dir) throws IOException {
    Files.createDirectories(dir);
    Path file = lockFile(dir.toRealPath());
    if (!HELD.add(file)) {
      return Optional.empty();
    }
    FileChannel channel = null;
    try {
      channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
          StandardOpenOption.WRITE);
      FileLock lock = channel.tryLock();
      if (lock == null) {
        HELD.remove(file);
        channel.close();
        return Optional.empty();
      }
      channel.truncate(0);
      channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n")
          .getBytes(StandardCharsets.US_ASCII)), 0);
      return Optional.of(new ModelDirectoryLock(file, channel, lock));
    } catch (IOException | RuntimeException e) {
      HELD.remove(file);
      if (channel != null) {
        channel.close();
      }
      throw e;
    }
  }

  /** The lock file of {@code dir}. */
  public static Path lockFile(Path dir) {
    return dir.resolve(ModelDirectoryContents.LOCK_FILE);
  }

  /** The process id recorded by the run that holds (or last held) the lock of {@code dir}. */
  public static Optional<Long> holder(Path dir) {
    try {
      String text = Files.readString(lockFile(dir), StandardCharsets.US_ASCII).strip();
      return text.matches("[0-9]{1,19}") ? Optional.of(Long.parseLong(text)) : Optional.empty();
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  @Override
  public void close() throws IOException {
    try {
      lock.release();
    } finally {
      try {
        channel.close();
      } finally {
        HELD.remove(file);
      }
    }
  }
}
