package dev.o2v.core.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A data channel resolved to the files it reads: one file, or the {@code *.jsonl} files of a
 * directory in byte-wise sorted name order (hidden files and sub-directories are skipped).
 *
 * @param root the path the user gave
 * @param files the files to read, in order; never empty
 */
public record Channel(Path root, List<Path> files) {

  /** Defensive copy; a channel always has at least one file. */
  public Channel {
    files = List.copyOf(files);
    if (files.isEmpty()) {
      throw new IllegalArgumentException("a channel needs at least one file: " + root);
    }
  }

  /**
   * Resolves a path to a channel.
   *
   * @throws ChannelException when the path is missing, is a directory without {@code .jsonl}
   *     files, or names a file that cannot be read
   */
  public static Channel of(Path path) {
    if (Files.isDirectory(path)) {
      return new Channel(path, listJsonl(path));
    }
    if (!Files.exists(path)) {
      throw new ChannelException(path + ": no such file or directory");
    }
    requireReadableFile(path);
    return new Channel(path, List.of(path));
  }

  private static List<Path> listJsonl(Path dir) {
    List<Path> found = new ArrayList<>();
    try (Stream<Path> entries = Files.list(dir)) {
      entries
          .filter(p -> isVisibleJsonl(p.getFileName().toString()))
          .filter(Files::isRegularFile)
          .forEach(found::add);
    } catch (IOException | java.io.UncheckedIOException e) {
      throw new ChannelException(dir + ": cannot list directory: " + e.getMessage(), e);
    }
    if (found.isEmpty()) {
      throw new ChannelException(dir + ": directory contains no .jsonl files");
    }
    found.sort(Comparator.comparing(p -> p.getFileName().toString()));
    found.forEach(Channel::requireReadableFile);
    return found;
  }

  private static boolean isVisibleJsonl(String name) {
    return name.endsWith(".jsonl") && !name.startsWith(".");
  }

  private static void requireReadableFile(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new ChannelException(file + ": not a regular file");
    }
    if (!Files.isReadable(file)) {
      throw new ChannelException(file + ": file is not readable");
    }
  }
}
