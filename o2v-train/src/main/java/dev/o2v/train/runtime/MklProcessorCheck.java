package dev.o2v.train.runtime;

import ai.djl.engine.Engine;
import com.sun.jna.Function;
import com.sun.jna.Library;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets the Intel MKL inside libtorch pick its matrix-product kernels on an AMD processor by the
 * instruction sets the processor has, as it does on an Intel one.
 *
 * <p>Why: libtorch's CPU build multiplies float32 matrices with the MKL linked into {@code
 * libtorch_cpu.so}. That MKL asks whether the processor's vendor string is "GenuineIntel"
 * ({@code mkl_serv_intel_cpu_true}) and, when it is not, runs a generic kernel: on this project's
 * AMD EPYC test machine a 1024² product ran at 84 GFLOP/s on one core instead of the 192 its
 * AVX-512 units reach, and every dense layer, hcnn window product and LSTM gate product of o2v
 * paid for it (benchmarks README, "MKL on AMD processors").
 *
 * <p>The check's answer is cached in one int next to the function, -1 until MKL first asks. Before
 * the first matrix product this class sets that int to 1, so MKL goes on to choose among its
 * kernels by the processor's feature flags (AVX-512, AVX2, ...), which AMD processors report
 * truthfully. It acts only when all of these hold: Linux on x86-64, vendor "AuthenticAMD", the
 * loaded {@code libtorch_cpu.so} exports the function, its first instructions are the cached
 * read this class knows ({@link #cacheDisplacement}), and the cache still reads -1. Anything
 * else leaves the process as it was. {@code -Do2v.mkl.processorCheck=keep} turns it off.
 */
public final class MklProcessorCheck {

  /** The system property that turns the change off when set to {@value #KEEP}. */
  public static final String PROPERTY = "o2v.mkl.processorCheck";
  /** The property value that leaves MKL's own processor check in place. */
  public static final String KEEP = "keep";

  /** dlopen flags: resolve lazily, and only find a library that is already loaded. */
  private static final int RTLD_LAZY_NOLOAD = 0x1 | 0x4;
  /** The cached answer before MKL has asked. */
  private static final int NOT_ASKED = -1;

  private static final Logger LOG = LoggerFactory.getLogger(MklProcessorCheck.class);
  private static Outcome outcome;

  /** What {@link #beforeFirstMatrixProduct} found or did. */
  public enum Outcome {
    /** The cache now says Intel: MKL chooses its kernels by the processor's features. */
    SET,
    /** Not an AMD processor on Linux x86-64, or turned off: nothing to do. */
    NOT_APPLICABLE,
    /** MKL had already asked before this ran; its choice stands for this process. */
    ALREADY_ASKED,
    /** The library or the function was not what this class knows; left alone. */
    UNKNOWN_LIBRARY
  }

  private MklProcessorCheck() {}

  /**
   * Applies the change once per process (later calls return the first outcome). Call it after the
   * PyTorch engine has loaded and before any matrix product; it loads the engine if needed.
   */
  public static synchronized Outcome beforeFirstMatrixProduct() {
    if (outcome == null) {
      outcome = apply();
      LOG.debug("MKL processor check: {}", outcome);
    }
    return outcome;
  }

  private static Outcome apply() {
    if (KEEP.equalsIgnoreCase(System.getProperty(PROPERTY, ""))
        || !applies(
            System.getProperty("os.name", ""),
            System.getProperty("os.arch", ""),
            readVendor())) {
      return Outcome.NOT_APPLICABLE;
    }
    try {
      Engine.getEngine("PyTorch");
      Optional<String> library = loadedLibrary(Files.readAllLines(Path.of("/proc/self/maps")));
      if (library.isEmpty()) {
        return Outcome.UNKNOWN_LIBRARY;
      }
      NativeLibrary torch =
          NativeLibrary.getInstance(
              library.get(), Map.of(Library.OPTION_OPEN_FLAGS, RTLD_LAZY_NOLOAD));
      Function check = torch.getFunction("mkl_serv_intel_cpu_true");
      OptionalLong displacement = cacheDisplacement(check.getByteArray(0, 9));
      if (displacement.isEmpty()) {
        return Outcome.UNKNOWN_LIBRARY;
      }
      Pointer cache = new Pointer(Pointer.nativeValue(check) + displacement.getAsLong());
      if (cache.getInt(0) != NOT_ASKED) {
        return Outcome.ALREADY_ASKED;
      }
      cache.setInt(0, 1);
      return Outcome.SET;
    } catch (IOException | LinkageError | RuntimeException e) {
      LOG.debug("MKL processor check left alone: {}", e.toString());
      return Outcome.UNKNOWN_LIBRARY;
    }
  }

  /** Whether the system is one the change is for: Linux, x86-64, an AMD processor. */
  static boolean applies(String osName, String osArch, String vendor) {
    return osName.toLowerCase(Locale.ROOT).startsWith("linux")
        && (osArch.equals("amd64") || osArch.equals("x86_64"))
        && vendor.equals("AuthenticAMD");
  }

  /**
   * The offset from the function's start to its cached answer, when {@code code} (the function's
   * first 9 bytes) is {@code mov eax, [rip + d]; test eax, eax; js}: the load of the cache, a
   * test of its sign and a branch to the slow path when it is negative. The load is 6 bytes long,
   * so the cache is at {@code start + 6 + d}.
   */
  static OptionalLong cacheDisplacement(byte[] code) {
    if (code.length < 9
        || code[0] != (byte) 0x8b
        || code[1] != 0x05
        || code[6] != (byte) 0x85
        || code[7] != (byte) 0xc0
        || code[8] != 0x78) {
      return OptionalLong.empty();
    }
    int d = (code[2] & 0xff) | (code[3] & 0xff) << 8 | (code[4] & 0xff) << 16 | code[5] << 24;
    return OptionalLong.of(6L + d);
  }

  /** The path of the mapped {@code libtorch_cpu.so}, from the lines of /proc/self/maps. */
  static Optional<String> loadedLibrary(List<String> maps) {
    for (String line : maps) {
      int slash = line.indexOf('/');
      if (slash >= 0 && line.endsWith("/libtorch_cpu.so")) {
        return Optional.of(line.substring(slash));
      }
    }
    return Optional.empty();
  }

  /** The processor's vendor string from /proc/cpuinfo, or "" when it cannot be read. */
  private static String readVendor() {
    try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
      return lines
          .filter(line -> line.startsWith("vendor_id"))
          .findFirst()
          .map(line -> line.substring(line.indexOf(':') + 1).trim())
          .orElse("");
    } catch (IOException | RuntimeException e) {
      LOG.debug("cannot read the processor vendor: {}", e.toString());
    }
    return "";
  }
}
