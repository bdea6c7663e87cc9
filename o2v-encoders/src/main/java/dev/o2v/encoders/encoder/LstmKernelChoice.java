package dev.o2v.encoders.encoder;

import ai.djl.Device;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides which {@link LstmKernel} computes the LSTM layers on a device.
 *
 * <p>Why a choice is needed: on CPUs with AVX-512, libtorch 2.7.1 runs its fused LSTM op through
 * oneDNN's AVX-512 RNN kernels, and on some such CPUs (measured on an AMD EPYC with AVX-512) those
 * kernels return wrong states for some hidden sizes (2, 16 and 48 were wrong, 24, 32, 64, 128 and
 * 256 right), which silently corrupts both training and inference. Restricting oneDNN to AVX2 with
 * the environment variable {@code ONEDNN_MAX_CPU_ISA=AVX2} fixes it, but the variable is read once
 * when the process starts, so it cannot be set from Java. The rule:
 *
 * <ul>
 *   <li>the system property {@value #PROPERTY} ({@code fused} or {@code stepped}) decides when set;
 *   <li>a GPU uses the fused op (cuDNN);
 *   <li>a CPU without AVX-512, or a process whose oneDNN is limited below AVX-512 by {@code
 *       ONEDNN_MAX_CPU_ISA} (the {@code o2v} launcher sets it), uses the fused op;
 *   <li>any other CPU uses {@link SteppedLstmKernel}: correct everywhere, slower, and said once in
 *       a WARN line with the way to the fast path.
 * </ul>
 */
final class LstmKernelChoice {

  /** System property that forces a kernel: {@code fused} or {@code stepped}. */
  static final String PROPERTY = "o2v.lstm.kernel";

  static final String ISA_VARIABLE = "ONEDNN_MAX_CPU_ISA";

  private static final Logger LOG = LoggerFactory.getLogger(LstmKernelChoice.class);
  private static final Path CPU_INFO = Path.of("/proc/cpuinfo");

  private LstmKernelChoice() {}

  /** The kernel for {@code device} in this process. */
  static LstmKernel forDevice(Device device) {
    return device.isGpu() ? FusedLstmKernel.INSTANCE : CpuKernel.CHOSEN;
  }

  /**
   * The rule itself, without reading the process's state.
   *
   * @param override the value of {@value #PROPERTY}, or null
   * @param isaLimit the value of {@code ONEDNN_MAX_CPU_ISA}, or null
   * @param cpuFlags the CPU's feature flags (as in {@code /proc/cpuinfo})
   */
  static LstmKernel choose(String override, String isaLimit, Set<String> cpuFlags) {
    if (override != null && !override.isBlank()) {
      return switch (override.trim().toLowerCase(Locale.ROOT)) {
        case "fused" -> FusedLstmKernel.INSTANCE;
        case "stepped" -> SteppedLstmKernel.INSTANCE;
        default -> throw new IllegalArgumentException(
            PROPERTY + " must be fused or stepped, found " + override);
      };
    }
    boolean avx512 = cpuFlags.contains("avx512f");
    return avx512 && !limitsBelowAvx512(isaLimit)
        ? SteppedLstmKernel.INSTANCE
        : FusedLstmKernel.INSTANCE;
  }

  /** Whether a oneDNN ISA limit keeps it off AVX-512 (e.g. {@code AVX2}, {@code SSE41}). */
  static boolean limitsBelowAvx512(String isaLimit) {
    if (isaLimit == null || isaLimit.isBlank()) {
      return false;
    }
    String isa = isaLimit.trim().toUpperCase(Locale.ROOT);
    return isa.startsWith("SSE")
        || (isa.startsWith("AVX") && !isa.startsWith("AVX512") && !isa.startsWith("AVX10"));
  }

  /** The feature flags of the first processor in {@code /proc/cpuinfo}; empty elsewhere. */
  static Set<String> cpuFlags() {
    try {
      return Files.readAllLines(CPU_INFO).stream()
          .filter(line -> line.startsWith("flags"))
          .findFirst()
          .map(line -> line.substring(line.indexOf(':') + 1).trim())
          .map(flags -> Arrays.stream(flags.split("\\s+")).collect(Collectors.toSet()))
          .orElse(Set.of());
    } catch (IOException | RuntimeException e) {
      return Set.of();
    }
  }

  /** The CPU choice, made once per process. */
  private static final class CpuKernel {
    static final LstmKernel CHOSEN = chooseForThisProcess();

    private static LstmKernel chooseForThisProcess() {
      String isaLimit = System.getenv(ISA_VARIABLE);
      LstmKernel kernel = choose(System.getProperty(PROPERTY), isaLimit, cpuFlags());
      if (kernel == SteppedLstmKernel.INSTANCE && System.getProperty(PROPERTY) == null) {
        LOG.warn(
            "this CPU has AVX-512, where libtorch's fused LSTM kernel gives wrong results for some"
                + " sizes; bilstm runs step by step (slower). Start the JVM with {}=AVX2 in its"
                + " environment for the fast kernel (the o2v launcher does)",
            ISA_VARIABLE);
      }
      return kernel;
    }
  }
}
