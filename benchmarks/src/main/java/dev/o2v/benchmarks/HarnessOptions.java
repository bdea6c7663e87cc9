package dev.o2v.benchmarks;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Command-line options of {@link Harness}.
 *
 * @param quick few steps per measurement (a smoke run; numbers are rough)
 * @param device {@code cpu} or {@code gpu}
 * @param out directory for the result files
 * @param python interpreter with PyTorch for the reference, or {@code none} to skip it
 * @param reference the reference script
 * @param suites which parts to run: {@code throughput}, {@code scaling}, {@code floor}, {@code cli}
 * @param only workloads whose name matches this pattern (all by default)
 * @param seed seed of data, weights and shuffles
 * @param threads libtorch intra-op threads for o2v and for the reference (default: all cores)
 */
public record HarnessOptions(
    boolean quick,
    String device,
    Path out,
    String python,
    Path reference,
    Set<String> suites,
    Pattern only,
    long seed,
    int threads) {

  static final String USAGE =
      "usage: Harness [--quick] [--device cpu|gpu] [--out DIR] [--python PATH|none]"
          + " [--reference SCRIPT] [--suites throughput,scaling,floor,cli] [--only REGEX]"
          + " [--seed N] [--threads N]";

  /**
   * Parses arguments.
   *
   * @throws IllegalArgumentException naming the bad option
   */
  public static HarnessOptions parse(String[] args) {
    boolean quick = false;
    String device = "cpu";
    Path out = Path.of("benchmarks/results");
    String python = "/usr/bin/python3";
    Path reference = Path.of("benchmarks/reference/object2vec_reference.py");
    Set<String> suites = Set.of("throughput", "scaling", "floor", "cli");
    Pattern only = Pattern.compile(".*");
    long seed = 42;
    int threads = Runtime.getRuntime().availableProcessors();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      switch (arg) {
        case "--quick" -> quick = true;
        case "--device" -> device = value(args, ++i, arg).toLowerCase(Locale.ROOT);
        case "--out" -> out = Path.of(value(args, ++i, arg));
        case "--python" -> python = value(args, ++i, arg);
        case "--reference" -> reference = Path.of(value(args, ++i, arg));
        case "--suites" -> suites = Set.of(value(args, ++i, arg).split(","));
        case "--only" -> only = Pattern.compile(value(args, ++i, arg));
        case "--seed" -> seed = Long.parseLong(value(args, ++i, arg));
        case "--threads" -> threads = Integer.parseInt(value(args, ++i, arg));
        default -> throw new IllegalArgumentException("unknown option '" + arg + "'; " + USAGE);
      }
    }
    if (!device.equals("cpu") && !device.equals("gpu")) {
      throw new IllegalArgumentException("--device must be cpu or gpu, found '" + device + "'");
    }
    for (String suite : suites) {
      if (!Set.of("throughput", "scaling", "floor", "cli").contains(suite)) {
        throw new IllegalArgumentException(
            "--suites must list throughput, scaling, floor, cli, found '" + suite + "'");
      }
    }
    if (threads < 1) {
      throw new IllegalArgumentException("--threads must be >= 1, found " + threads);
    }
    return new HarnessOptions(quick, device, out, python, reference, suites, only, seed, threads);
  }

  /** Whether the PyTorch reference runs. */
  public boolean withReference() {
    return !python.equals("none");
  }

  private static String value(String[] args, int i, String option) {
    if (i >= args.length) {
      throw new IllegalArgumentException(option + " needs a value; " + USAGE);
    }
    return args[i];
  }
}
