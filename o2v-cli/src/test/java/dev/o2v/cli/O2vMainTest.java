package dev.o2v.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

class O2vMainTest {

  @Test
  void helpListsEveryCommandAndTheExitCodes() {
    CliRunner.Result result = CliRunner.run("--help");
    assertEquals(0, result.exitCode(), result.err());
    for (String command : new String[] {"train", "predict", "embed", "neighbors", "evaluate", "serve"}) {
      assertTrue(result.out().contains("  " + command + " "), "missing " + command + ":\n" + result.out());
    }
    for (String code : new String[] {"0 ", "2 ", "65 ", "70 ", "74 "}) {
      assertTrue(result.out().contains("  " + code), "exit code " + code + ":\n" + result.out());
    }
  }

  @Tag("engine")
  @Test
  void versionNamesO2vDjlAndPytorch() {
    CliRunner.Result result = CliRunner.run("--version");
    assertEquals(0, result.exitCode(), result.err());
    assertTrue(result.out().contains("o2v "), result.out());
    assertTrue(result.out().contains("DJL 0.36.0"), result.out());
    assertTrue(result.out().contains("PyTorch 2.7.1"), result.out());
  }

  @Test
  void unknownOptionIsAUsageError() {
    CliRunner.Result result = CliRunner.run("train", "--no-such-option");
    assertEquals(ExitCodes.USAGE, result.exitCode());
    assertTrue(result.err().contains("Unknown option: '--no-such-option'"), result.err());
  }

  @Test
  void noCommandPrintsUsageAndFails() {
    CliRunner.Result result = CliRunner.run();
    assertEquals(ExitCodes.USAGE, result.exitCode());
    assertTrue(result.err().contains("Usage: o2v"), result.err());
  }

  @Test
  void internalErrorsAreOneLineWithoutVerbose() {
    assertEquals(ExitCodes.IO, ErrorMapper.exitCodeOf(new java.io.IOException("disk")));
    assertEquals(ExitCodes.SOFTWARE, ErrorMapper.exitCodeOf(new IllegalStateException("bug")));
    assertEquals(ExitCodes.DATA, ErrorMapper.exitCodeOf(new CliException(ExitCodes.DATA, "x")));
  }
}
