package dev.o2v.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Readings of the machine and this process that benchmarks print beside their timings. */
final class MachineStats {

  private MachineStats() {}

  /** The 1, 5 and 15 minute load averages as {@code /proc/loadavg} shows them. */
  static String loadAverage() {
    try {
      String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return fields[0] + " " + fields[1] + " " + fields[2];
    } catch (IOException e) {
      return "unknown";
    }
  }

  /** CPU time this process has used so far, all threads, in seconds (NaN when unknown). */
  static double processCpuSeconds() {
    java.lang.management.OperatingSystemMXBean os =
        java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
      return sun.getProcessCpuTime() / 1e9;
    }
    return Double.NaN;
  }

  /**
   * User and system CPU seconds this process has used so far, all threads, from {@code
   * /proc/self/stat} (clock ticks of 1/100 s, the Linux USER_HZ); NaNs when unknown. System time
   * is the kernel's share: page-cache copies, page faults, reclaim.
   */
  static double[] processUserSystemSeconds() {
    try {
      String stat = Files.readString(Path.of("/proc/self/stat"));
      // Fields after the command name, which is in parentheses and may hold spaces.
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
      return new double[] {Long.parseLong(fields[11]) / 100.0, Long.parseLong(fields[12]) / 100.0};
    } catch (IOException | RuntimeException e) {
      return new double[] {Double.NaN, Double.NaN};
    }
  }

  /** Peak resident set size of this process (VmHWM) in GB. */
  static double peakRssGigabytes() {
    return statusKilobytes("VmHWM:") / 1e6;
  }

  /** Current resident set size of this process (VmRSS) in GB. */
  static double rssGigabytes() {
    return statusKilobytes("VmRSS:") / 1e6;
  }

  private static long statusKilobytes(String key) {
    try {
      List<String> lines = Files.readAllLines(Path.of("/proc/self/status"));
      for (String line : lines) {
        if (line.startsWith(key)) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
      return -1;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
