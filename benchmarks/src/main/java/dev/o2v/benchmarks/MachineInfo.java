package dev.o2v.benchmarks;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** Describes the machine a benchmark ran on: cores, CPU model, load, peak memory. */
final class MachineInfo {

  private MachineInfo() {}

  static void print(PrintStream out) {
    out.printf(
        Locale.ROOT,
        "machine: %d cores, %s, load average %s, peak RSS %.0f MB, java %s%n",
        Runtime.getRuntime().availableProcessors(),
        cpuModel(),
        loadAverage(),
        peakRssBytes() / 1e6,
        System.getProperty("java.version"));
  }

  /** Peak resident set size of this process (VmHWM), or -1 where /proc is missing. */
  static long peakRssBytes() {
    return procStatus("VmHWM:");
  }

  /** Current resident set size of this process (VmRSS), or -1 where /proc is missing. */
  static long rssBytes() {
    return procStatus("VmRSS:");
  }

  private static long procStatus(String field) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith(field)) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }

  private static String loadAverage() {
    try {
      String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return parts[0] + " " + parts[1] + " " + parts[2];
    } catch (IOException e) {
      return "unknown";
    }
  }

  private static String cpuModel() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          return line.substring(line.indexOf(':') + 1).trim();
        }
      }
    } catch (IOException e) {
      return "unknown CPU";
    }
    return "unknown CPU";
  }
}
