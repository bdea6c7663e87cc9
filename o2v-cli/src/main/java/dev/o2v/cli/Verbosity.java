package dev.o2v.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;

/** Switches logging between the quiet default and {@code --verbose}. */
final class Verbosity {

  private static volatile boolean verbose;

  private Verbosity() {}

  static boolean isVerbose() {
    return verbose;
  }

  /** Turns debug logging (ours and DJL's) on or off. */
  static void set(boolean on) {
    verbose = on;
    Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
    Logger djl = (Logger) LoggerFactory.getLogger("ai.djl");
    root.setLevel(on ? Level.DEBUG : Level.INFO);
    djl.setLevel(on ? Level.INFO : Level.WARN);
    Logger cuda = (Logger) LoggerFactory.getLogger("ai.djl.util.cuda.CudaUtils");
    cuda.setLevel(on ? Level.INFO : Level.ERROR);
  }
}
