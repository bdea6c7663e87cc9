package dev.o2v.core.data;

import dev.o2v.core.io.IoReasons;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A data channel resolved to the files it reads: one file, or the {@code *.jsonl} files of a
 * directory (the extension in any case) in byte-wise sorted name order. Hidden files are skipped
 * silently; other files and sub-directories are skipped with a warning that lists them.
 *
 * @param root the path the user gave
 * @param files the files to read, in order; never empty
 */
public record Channel(Path root, List<Path> files) {

  private static final Logger LOG = LoggerFactory.getLogger(Channel.class);
  private static final int MAX_NAMES_SHOWN = 10;

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
      throw new ChannelException(path + ": " + IoReasons.whyMissing(path));
    }
    requireReadableFile(path);
    return new Channel(path, List.of(path));
  }

  private static List<Path> listJsonl(Path dir) {
    List<Path> found = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    try (Stream<Path> entries = Files.list(dir)) {
      entries.forEach(p -> {
        String name = p.getFileName().toString();
        if (name.startsWith(".")) {
          return;
        }
        if (isJsonl(name) && Files.isRegularFile(p)) {
          found.add(p);
        } else {
          skipped.add(Files.isDirectory(p) ? name + "/" : name);
        }
      });
    } catch (IOException e) {
      throw new ChannelException(dir + ": cannot list directory: " + IoReasons.of(e), e);
    } catch (UncheckedIOException e) {
      throw new ChannelException(
          dir + ": cannot list directory: " + IoReasons.of(e.getCause()), e);
    }
    if (found.isEmpty()) {
      throw new ChannelException(dir + ": directory contains no .jsonl files"
          + (skipped.isEmpty() ? "" : " (found " + listed(skipped) + ")"));
    }
    if (!skipped.isEmpty()) {
      LOG.warn("{}: skipped {} {} without the .jsonl extension: {}", dir, skipped.size(),
          skipped.size() == 1 ? "entry" : "entries", listed(skipped));
    }
    found.sort(Comparator.comparing(p -> p.getFileName().toString()));
    found.forEach(Channel::requireReadableFile);
    return found;
  }

  private static boolean isJsonl(String name) {
    return name.toLowerCase(Locale.ROOT).endsWith(".jsonl");
  }

  /** Names in sorted order; a long list is cut after the first few. */
  private static String listed(List<String> names) {
    List<String> sorted = names.stream().sorted().toList();
    int shown = Math.min(sorted.size(), MAX_NAMES_SHOWN);
    String list = String.join(", ", sorted.subList(0, shown));
    return shown == sorted.size() ? list : list + " and " + (sorted.size() - shown) + " more";
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
