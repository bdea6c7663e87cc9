package dev.o2v.core.io;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Locale;

/**
 * Plain-words reasons for I/O failures, for one-line user messages.
 *
 * <p>The JDK's file exceptions often carry only the path as their message ({@code
 * AccessDeniedException: /data/x}) or a decoder's internals ({@code Input length = 1}); these
 * helpers say what went wrong instead.
 */
public final class IoReasons {

  private IoReasons() {}

  /** Why {@code e} happened, without the file name (callers put the name first). */
  public static String of(IOException e) {
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof NoSuchFileException) {
      return "no such file or directory";
    }
    if (e instanceof NotDirectoryException) {
      return "not a directory";
    }
    if (e instanceof DirectoryNotEmptyException) {
      return "directory not empty";
    }
    if (e instanceof FileAlreadyExistsException) {
      return "already exists";
    }
    if (e instanceof FileSystemLoopException) {
      return "symbolic link loop";
    }
    if (e instanceof CharacterCodingException) {
      return "not valid UTF-8 text";
    }
    if (e instanceof FileSystemException fs) {
      // Without a reason, the JDK's message is only the file name, which callers already give.
      return fs.getReason() != null ? plain(fs.getReason()) : "file system error";
    }
    String message = e.getMessage();
    return message == null || message.isBlank()
        ? e.getClass().getSimpleName()
        : plain(message);
  }

  /** {@code FILE: reason} for a failure on {@code file}, with the real reason. */
  public static String describe(Path file, IOException e) {
    return file + ": " + of(e);
  }

  /**
   * Why {@code path} cannot be found: {@code "no such file or directory"}, or {@code "symbolic
   * link loop"} / {@code "broken symbolic link"} when a link is what is missing.
   */
  public static String whyMissing(Path path) {
    if (!Files.isSymbolicLink(path)) {
      return "no such file or directory";
    }
    try {
      Files.readAttributes(path, BasicFileAttributes.class);
      return "no such file or directory";
    } catch (FileSystemException e) {
      String reason = String.valueOf(e.getReason()).toLowerCase(Locale.ROOT);
      return reason.contains("levels of symbolic links") || reason.contains("loop")
          ? "symbolic link loop"
          : "broken symbolic link (its target does not exist)";
    } catch (IOException e) {
      return of(e);
    }
  }

  private static String plain(String reason) {
    String oneLine = reason.replaceAll("\\s+", " ").strip();
    if (oneLine.toLowerCase(Locale.ROOT).startsWith("too many levels of symbolic links")) {
      return "symbolic link loop";
    }
    if (oneLine.isEmpty()) {
      return "I/O error";
    }
    // The JDK's reasons start with a capital ("Permission denied"); messages here are lower case.
    return Character.toLowerCase(oneLine.charAt(0)) + oneLine.substring(1);
  }
}
