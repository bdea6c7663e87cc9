package dev.o2v.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

class EngineThreadsOptionTest {

  @TempDir Path tmp;

  @Command(name = "holder")
  static final class Holder {
    @Mixin EngineThreadsOption threads;
  }

  private static EngineThreadsOption parse(String... args) {
    Holder holder = new Holder();
    new CommandLine(holder).parseArgs(args);
    return holder.threads;
  }

  @Test
  void aGivenCountWinsOverTheFallback() {
    assertEquals(OptionalInt.of(3), parse("--threads", "3").resolve(OptionalInt.of(1)));
    assertEquals(OptionalInt.of(1), parse("--threads=1").resolve(OptionalInt.empty()));
  }

  @Test
  void withoutTheOptionTheFallbackOrLibtorchsDefaultApplies() {
    assertEquals(OptionalInt.of(1), parse().resolve(OptionalInt.of(1)), "serve's default");
    assertEquals(OptionalInt.empty(), parse().resolve(OptionalInt.empty()), "libtorch's default");
  }

  @Test
  void countsOutsideOneTo256AreUsageErrorsNamingTheOptionAndValue() {
    for (String value : new String[] {"0", "-2", "257", "100000000"}) {
      CliException e =
          assertThrows(CliException.class, () -> parse("--threads", value).resolve(
              OptionalInt.empty()));
      assertEquals(ExitCodes.USAGE, e.exitCode(), "exit code for " + value);
      assertEquals("--threads must be in [1, 256], found " + value, e.getMessage());
    }
  }

  @Test
  void aNonNumberIsRejectedByTheParser() {
    assertThrows(CommandLine.ParameterException.class, () -> parse("--threads", "two"));
  }

  @Test
  void everyEngineCommandRejectsZeroThreadsWithOneLine() {
    String dir = tmp.toString();
    String[][] commands = {
      {"train", "--threads", "0", "--hp", "hp.json", "--data", "train.jsonl"},
      {"predict", "--threads", "0", "--model-dir", dir, "--data", "in.jsonl"},
      {"embed", "--threads", "0", "--model-dir", dir, "--data", "in.jsonl", "--side", "in0"},
      {"neighbors", "--threads", "0", "--model-dir", dir, "--side", "in0", "--query-ids", "1"},
      {"evaluate", "--threads", "0", "--model-dir", dir, "--data", "in.jsonl"},
      {"serve", "--threads", "0", "--model-dir", dir},
    };
    for (String[] args : commands) {
      CliRunner.Result r = CliRunner.run(args);
      assertEquals(ExitCodes.USAGE, r.exitCode(), args[0] + ": " + r.err());
      assertEquals("o2v " + args[0] + ": --threads must be in [1, 256], found 0",
          r.err().strip(), args[0] + " prints one line");
    }
  }

  @Test
  void trainSetsTheEngineThreadPropertyBeforeItStarts() throws Exception {
    String before = System.getProperty(EngineThreadsOption.PROPERTY);
    try {
      CliRunner.Result r =
          CliRunner.run("train", "--threads", "1", "--help-hp");
      assertEquals(ExitCodes.OK, r.exitCode(), r.err());
      assertEquals(before, System.getProperty(EngineThreadsOption.PROPERTY),
          "--help-hp starts nothing and changes nothing");
      CliRunner.Result missing = CliRunner.run("train", "--threads", "1");
      assertEquals(ExitCodes.USAGE, missing.exitCode(), missing.err());
      assertEquals("1", System.getProperty(EngineThreadsOption.PROPERTY),
          "set before the other checks, like the device choice, can start the engine");
    } finally {
      if (before == null) {
        System.clearProperty(EngineThreadsOption.PROPERTY);
      } else {
        System.setProperty(EngineThreadsOption.PROPERTY, before);
      }
    }
  }
}
