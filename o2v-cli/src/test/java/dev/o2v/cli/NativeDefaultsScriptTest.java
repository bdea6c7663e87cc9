package dev.o2v.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's process environment ({@code src/main/sh/native-defaults.sh}), sourced by a real
 * shell as {@code ./o2v} sources it: its defaults apply only where the caller's environment is
 * silent, and a caller's own choices survive.
 */
class NativeDefaultsScriptTest {

  private static final Path SCRIPT = Path.of("src/main/sh/native-defaults.sh");
  /** The directory of the java running the tests, which has the vector module. */
  private static final String JAVA_BIN =
      Path.of(System.getProperty("java.home"), "bin").toString();

  /** What {@code variable} holds after sourcing the script under {@code environment} only. */
  private static String afterSourcing(Map<String, String> environment, String variable)
      throws IOException, InterruptedException {
    return printedAfterSourcing(environment, "\"${" + variable + "-<unset>}\"");
  }

  /** What a child shell of the sourcing one sees of {@code variable} ({@code <unset>} if none). */
  private static String seenByAChildProcess(String variable)
      throws IOException, InterruptedException {
    return printedAfterSourcing(Map.of(),
        "\"$(bash -c 'printf %s \"${" + variable + "-<unset>}\"')\"");
  }

  /**
   * What the shell prints for the word {@code expression} after sourcing the script under {@code
   * environment} only.
   */
  private static String printedAfterSourcing(Map<String, String> environment, String expression)
      throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder("bash", "-c",
        "set -euo pipefail; . \"$1\"; printf '%s' " + expression, "sh",
        SCRIPT.toAbsolutePath().toString());
    builder.environment().clear();
    builder.environment().put("PATH", "/usr/bin:/bin");
    builder.environment().putAll(environment);
    builder.redirectErrorStream(true);
    Process process = builder.start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new AssertionError("sourcing " + SCRIPT + " failed: " + out);
    }
    return out;
  }

  @Test
  void theScriptIsWhereTheLauncherSourcesIt() {
    assertTrue(Files.isRegularFile(SCRIPT), SCRIPT + " missing");
  }

  @Test
  void hugePagesAreAskedForWhenTheEnvironmentSaysNothing() throws Exception {
    assertEquals("glibc.malloc.hugetlb=1", afterSourcing(Map.of(), "GLIBC_TUNABLES"));
  }

  @Test
  void otherTunablesAreKeptAndTheHugePageOneAdded() throws Exception {
    assertEquals("glibc.malloc.arena_max=2:glibc.malloc.hugetlb=1",
        afterSourcing(Map.of("GLIBC_TUNABLES", "glibc.malloc.arena_max=2"), "GLIBC_TUNABLES"));
  }

  @Test
  void aHugePageChoiceOfTheCallerIsLeftAlone() throws Exception {
    for (String given : new String[] {"glibc.malloc.hugetlb=0",
        "glibc.malloc.arena_max=2:glibc.malloc.hugetlb=2"}) {
      assertEquals(given, afterSourcing(Map.of("GLIBC_TUNABLES", given), "GLIBC_TUNABLES"));
    }
  }

  @Test
  void theJvmHugePageOptionFollowsTheKernelsTransparentHugePageMode() throws Exception {
    Path mode = Path.of("/sys/kernel/mm/transparent_hugepage/enabled");
    boolean offered = Files.isReadable(mode)
        && Files.readString(mode).matches("(?s).*\\[(always|madvise)\\].*");
    assertEquals(offered ? "-XX:+UseTransparentHugePages" : "",
        afterSourcing(Map.of(), "jvm_huge_pages_option"), "kernel mode: "
            + (Files.isReadable(mode) ? Files.readString(mode).trim() : "none"));
    assertEquals("<unset>", seenByAChildProcess("jvm_huge_pages_option"),
        "a shell variable for the launcher, not exported to its children");
  }

  @Test
  void theYoungGenerationOptionCapsTheYoungGenerationOfAJvmStartedWithIt() throws Exception {
    String option = afterSourcing(Map.of(), "jvm_young_generation_option");
    assertEquals("<unset>", seenByAChildProcess("jvm_young_generation_option"),
        "a shell variable for the launcher, not exported to its children");
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process process = new ProcessBuilder(java.toString(), option, "-XX:+PrintFlagsFinal",
        "-version").redirectErrorStream(true).start();
    String flags = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, process.exitValue(), flags);
    assertTrue(flags.lines().anyMatch(l -> l.matches("\\s*size_t MaxNewSize\\s*= 33554432\\s.*")),
        option + " gave: " + flags.lines().filter(l -> l.contains("MaxNewSize")).toList());
  }

  @Test
  void theVectorModuleOptionPutsTheVectorModuleInAJvmStartedWithIt(@TempDir Path dir)
      throws Exception {
    String option = afterSourcing(Map.of("PATH", JAVA_BIN + ":/usr/bin:/bin"),
        "jvm_vector_module_option");
    assertEquals("<unset>", seenByAChildProcess("jvm_vector_module_option"),
        "a shell variable for the launcher, not exported to its children");
    Path program = dir.resolve("VectorModule.java");
    Files.writeString(program, "public class VectorModule { public static void main(String[] a)"
        + " { System.out.print(ModuleLayer.boot().findModule(\"jdk.incubator.vector\")"
        + ".isPresent()); } }");
    assertEquals("true", runJava(option, program.toString()), option);
    assertEquals("false", runJava(program.toString()), "without " + option);
  }

  @Test
  void noVectorModuleOptionForAJavaWhoseReleaseFileLacksTheModule(@TempDir Path home)
      throws Exception {
    Path java = Files.createDirectories(home.resolve("bin")).resolve("java");
    Files.writeString(java, "#!/bin/sh\nexit 0\n");
    assertTrue(java.toFile().setExecutable(true));
    Files.writeString(home.resolve("release"), "MODULES=\"java.base java.logging\"\n");
    assertEquals("", afterSourcing(Map.of("PATH", home.resolve("bin") + ":/usr/bin:/bin"),
        "jvm_vector_module_option"), "a trimmed runtime would refuse to start with the option");
  }

  /** Standard output of {@code java ARGUMENTS}, which must exit 0. */
  private static String runJava(String... arguments) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of(arguments));
    Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD)
        .start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, process.exitValue(), out);
    return out.trim();
  }

  @Test
  void allocatorAndOpenMpDefaultsYieldToTheCallersValues() throws Exception {
    assertEquals("1", afterSourcing(Map.of(), "MALLOC_ARENA_MAX"));
    assertEquals("4", afterSourcing(Map.of("MALLOC_ARENA_MAX", "4"), "MALLOC_ARENA_MAX"));
    assertEquals("3000", afterSourcing(Map.of(), "GOMP_SPINCOUNT"));
    assertEquals("<unset>",
        afterSourcing(Map.of("OMP_WAIT_POLICY", "PASSIVE"), "GOMP_SPINCOUNT"));
  }
}
