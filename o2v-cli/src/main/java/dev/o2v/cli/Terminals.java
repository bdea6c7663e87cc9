package dev.o2v.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Whether standard error is a terminal, so progress lines may be drawn there. */
final class Terminals {

  private Terminals() {}

  /**
   * True when file descriptor 2 is a terminal device (Linux: its {@code /proc/self/fd} link names
   * a tty); elsewhere, when the JVM has a console.
   */
  static boolean stderrIsTerminal() {
    try {
      String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
      return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      return System.console() != null;
    }
  }
}
