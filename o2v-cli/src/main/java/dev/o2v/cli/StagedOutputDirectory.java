package dev.o2v.cli;

import static dev.o2v.core.io.FileTrees.deleteTree;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * An output directory that is written beside its final place and moved there only when the whole
 * output is complete, so the final place holds one run's complete output or what it held before,
 * never a mix of two runs or half of one.
 *
 * <p>The staging directory is a hidden sibling ({@code .NAME.staging-PID}); moving it into place
 * is a rename within one parent directory. Replacing existing content needs the caller's consent
 * ({@code --overwrite}), and the old content is deleted only after the new one is in place.
 *
 * <p>A run that was killed leaves its hidden siblings behind; the next run for the same target
 * clears those of processes that no longer exist, and puts back a previous output that a run
 * killed between its two moves had set aside.
 */
final class StagedOutputDirectory {

  private static final int LISTED = 5;

  private final Path target;
  private final Path staging;

  private StagedOutputDirectory(Path target, Path staging) {
    this.target = target;
    this.staging = staging;
  }

  /**
   * Checks {@code target} and creates the staging directory.
   *
   * @param option the option that named {@code target}, for messages
   * @param overwrite whether existing content may be replaced
   * @param inputs files the run reads; none may lie inside a target that will be replaced
   * @throws CliException exit 74 when {@code target} is a file or holds files without {@code
   *     overwrite}, exit 2 when {@code overwrite} would delete an input
   */
  static StagedOutputDirectory begin(String option, Path target, boolean overwrite,
      List<Path> inputs) throws IOException {
    Path absolute = target.toAbsolutePath().normalize();
    if (absolute.getParent() == null) {
      throw new CliException(ExitCodes.USAGE, option + " " + target + " is a root directory");
    }
    clearLeftovers(absolute);
    if (Files.exists(absolute) && !Files.isDirectory(absolute)) {
      throw new CliException(ExitCodes.IO, option + " " + target + " is a file, not a directory");
    }
    List<String> present = entries(absolute);
    if (!present.isEmpty() && !overwrite) {
      throw new CliException(ExitCodes.IO, option + " " + target + " already holds "
          + listed(present) + "; pass --overwrite to replace it once this run has succeeded,"
          + " or choose another directory");
    }
    if (!present.isEmpty()) {
      Path real = absolute.toRealPath();
      for (Path input : inputs) {
        Path file = Files.exists(input) ? input.toRealPath() : input.toAbsolutePath().normalize();
        if (file.startsWith(real)) {
          throw new CliException(ExitCodes.USAGE, option + " " + target + " holds the input "
              + input + ", which --overwrite would delete; choose another " + option);
        }
      }
    }
    Files.createDirectories(absolute.getParent());
    Path staging = absolute.resolveSibling(
        "." + absolute.getFileName() + ".staging-" + ProcessHandle.current().pid());
    deleteTree(staging); // left by a killed run that had the same process id
    Files.createDirectory(staging);
    return new StagedOutputDirectory(absolute, staging);
  }

  /**
   * Deletes staging directories of {@code target} left by processes that are gone, and moves a
   * previous output set aside by such a process back into place when {@code target} is missing.
   */
  private static void clearLeftovers(Path target) throws IOException {
    if (!Files.isDirectory(target.getParent())) {
      return;
    }
    String name = target.getFileName().toString();
    List<Path> siblings;
    try (Stream<Path> list = Files.list(target.getParent())) {
      siblings = list.sorted().toList();
    }
    for (Path sibling : siblings) {
      String file = sibling.getFileName().toString();
      long stagingPid = leftoverPid(file, "." + name + ".staging-");
      long previousPid = leftoverPid(file, "." + name + ".previous-");
      if (stagingPid > 0 && !ProcessHandle.of(stagingPid).isPresent()) {
        deleteTree(sibling);
      } else if (previousPid > 0 && !ProcessHandle.of(previousPid).isPresent()) {
        if (Files.exists(target, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
          deleteTree(sibling);
        } else {
          move(sibling, target);
        }
      }
    }
  }

  /** The process id in {@code file} after {@code prefix}, or -1 when it is not such a name. */
  private static long leftoverPid(String file, String prefix) {
    if (!file.startsWith(prefix)) {
      return -1;
    }
    try {
      return Long.parseLong(file.substring(prefix.length()));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** Where the run writes its output. */
  Path staging() {
    return staging;
  }

  /** Moves the complete output into place, then deletes what was there before. */
  void commit() throws IOException {
    Path previous = null;
    if (Files.exists(target)) {
      previous = target.resolveSibling(
          "." + target.getFileName() + ".previous-" + ProcessHandle.current().pid());
      deleteTree(previous);
      move(target, previous);
    }
    move(staging, target);
    if (previous != null) {
      deleteTree(previous);
    }
  }

  /** Deletes the staging directory of a run that failed; the target is untouched. */
  void abort() {
    try {
      deleteTree(staging);
    } catch (IOException e) {
      // Best effort: a hidden staging directory is all that is left.
    }
  }

  /** {@code message} with the staging path replaced by the final one, for users. */
  String inTermsOfTarget(String message) {
    return message == null ? null : message.replace(staging.toString(), target.toString());
  }

  private static List<String> entries(Path dir) throws IOException {
    List<String> names = new ArrayList<>();
    if (Files.isDirectory(dir)) {
      try (Stream<Path> list = Files.list(dir)) {
        list.map(p -> p.getFileName().toString()).sorted().forEach(names::add);
      }
    }
    return names;
  }

  private static String listed(List<String> names) {
    String shown = String.join(", ", names.subList(0, Math.min(LISTED, names.size())));
    return names.size() <= LISTED ? shown : shown + " and " + (names.size() - LISTED) + " more";
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to);
    }
  }
}
