package dev.o2v.benchmarks;

import ai.djl.engine.Engine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The machine a result was measured on.
 *
 * @param cores logical processors the JVM sees
 * @param cpuModel {@code model name} from {@code /proc/cpuinfo}
 * @param loadAverage the 1, 5 and 15 minute load averages from {@code /proc/loadavg}
 * @param memoryGigabytes {@code MemTotal} from {@code /proc/meminfo}
 * @param java Java runtime version and VM
 * @param djl DJL version
 * @param pytorch libtorch version of the DJL engine
 * @param os operating system name, version and architecture
 */
public record MachineInfo(
    int cores,
    String cpuModel,
    String loadAverage,
    double memoryGigabytes,
    String java,
    String djl,
    String pytorch,
    String os) {

  /** Reads this machine's description (loads the PyTorch engine). */
  public static MachineInfo current() {
    return new MachineInfo(
        Runtime.getRuntime().availableProcessors(),
        readCpuModel(),
        currentLoadAverage(),
        readMemoryGigabytes(),
        System.getProperty("java.runtime.version") + " " + System.getProperty("java.vm.name"),
        Engine.getDjlVersion(),
        Engine.getEngine("PyTorch").getVersion(),
        System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
            + System.getProperty("os.arch"));
  }

  /** The first three fields of {@code /proc/loadavg}, or "unknown". */
  public static String currentLoadAverage() {
    List<String> lines = readLines("/proc/loadavg");
    if (lines.isEmpty()) {
      return "unknown";
    }
    String[] fields = lines.get(0).trim().split("\\s+");
    return fields.length >= 3 ? fields[0] + " " + fields[1] + " " + fields[2] : "unknown";
  }

  private static String readCpuModel() {
    for (String line : readLines("/proc/cpuinfo")) {
      if (line.startsWith("model name")) {
        return line.substring(line.indexOf(':') + 1).trim();
      }
    }
    return System.getProperty("os.arch");
  }

  private static double readMemoryGigabytes() {
    for (String line : readLines("/proc/meminfo")) {
      if (line.startsWith("MemTotal:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1e6; // kB -> GB
      }
    }
    return Double.NaN;
  }

  private static List<String> readLines(String file) {
    try {
      return Files.readAllLines(Path.of(file));
    } catch (IOException | SecurityException e) {
      return List.of();
    }
  }
}
