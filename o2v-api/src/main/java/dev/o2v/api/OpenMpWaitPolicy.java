package dev.o2v.api;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes libtorch's idle OpenMP threads spin only briefly before they sleep, as the {@code o2v}
 * launcher does, in a JVM that did not choose in its environment (a program using o2v-api, a
 * Spark executor).
 *
 * <p>Why: the PyTorch natives use GNU OpenMP, whose idle threads spin for a few milliseconds at
 * every barrier. On cores that other processes keep busy, the spinning threads and the ones they
 * wait for take turns on the CPU and training became ten times slower or worse (benchmarks
 * README, "A busy machine"). {@code GOMP_SPINCOUNT=3000} (about 30 microseconds) keeps that from
 * happening and costs about 2% on a quiet machine, where never spinning ({@code
 * OMP_WAIT_POLICY=PASSIVE}) cost 18%. GNU OpenMP reads the variable once, when its library is
 * loaded, so this sets it in the process's environment before the engine starts; a process whose
 * OpenMP library is already loaded is left as it is.
 */
final class OpenMpWaitPolicy {

  static final String POLICY = "OMP_WAIT_POLICY";
  static final String SPIN_COUNT = "GOMP_SPINCOUNT";
  /** Spins before an idle thread sleeps; GNU OpenMP's own default is 300,000. */
  static final String SHORT_SPIN = "3000";

  private static final Logger LOG = LoggerFactory.getLogger(OpenMpWaitPolicy.class);
  private static boolean done;

  private OpenMpWaitPolicy() {}

  /** The C library's {@code setenv}. */
  private interface C extends Library {
    int setenv(String name, String value, int overwrite);
  }

  /** Sets the short spin unless the environment chose how to wait or OpenMP is already loaded. */
  static synchronized void beforeEngineStarts() {
    if (done) {
      return;
    }
    done = true;
    if (!shouldSet(System.getenv(), openMpLoaded())) {
      return;
    }
    try {
      Native.load("c", C.class).setenv(SPIN_COUNT, SHORT_SPIN, 0);
    } catch (LinkageError | RuntimeException e) {
      LOG.debug("could not set {} in the process environment: {}", SPIN_COUNT, e.toString());
    }
  }

  /**
   * The rule: only when the environment says nothing about how OpenMP threads wait (neither
   * variable set) and no OpenMP library is loaded yet.
   */
  static boolean shouldSet(Map<String, String> environment, boolean openMpLoaded) {
    return !openMpLoaded
        && !environment.containsKey(POLICY)
        && !environment.containsKey(SPIN_COUNT);
  }

  /** Whether a GNU OpenMP library is mapped into this process (Linux; false elsewhere). */
  private static boolean openMpLoaded() {
    try {
      return Files.readString(Path.of("/proc/self/maps")).contains("libgomp");
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }
}
