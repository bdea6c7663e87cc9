package dev.o2v.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class O2vMainTest {

  @Test
  void helpListsEveryCommandAndTheExitCodes() {
    CliRunner.Result result = CliRunner.run("--help");
    assertEquals(0, result.exitCode(), result.err());
    String[] commands = {"train", "predict", "embed", "neighbors", "evaluate", "serve"};
    for (String command : commands) {
      assertTrue(result.out().contains("  " + command + " "),
          "missing " + command + ":\n" + result.out());
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
    Exception[] errors = {
      new IllegalStateException("bug in a step\n  with a second line of detail"),
      new NullPointerException(),
      new RuntimeException("wrapped", new IllegalArgumentException("cause")),
    };
    for (Exception e : errors) {
      StringWriter err = new StringWriter();
      CommandLine cli = O2vMain.commandLine().getSubcommands().get("train");
      cli.setErr(new PrintWriter(err));
      int code = new ErrorMapper().handleExecutionException(e, cli, null);
      assertEquals(ExitCodes.SOFTWARE, code, err.toString());
      List<String> lines = err.toString().lines().toList();
      assertEquals(1, lines.size(), "one line for " + e + ":\n" + err);
      assertTrue(lines.get(0).startsWith("o2v train: "), lines.get(0));
      assertTrue(lines.get(0).contains("--verbose"), "points to --verbose: " + lines.get(0));
      assertFalse(lines.get(0).contains("\tat "), "no stack frame: " + lines.get(0));
    }
  }

  @Test
  void fileSystemErrorsNameTheFileAndTheReason() {
    Exception[] errors = {
      new java.nio.file.AccessDeniedException("/ro/model"),
      new java.nio.file.FileSystemException("/ro/model", null, "Read-only file system"),
      new java.io.UncheckedIOException(new java.nio.file.AccessDeniedException("/ro/model")),
    };
    String[] expected = {"permission denied", "read-only file system", "permission denied"};
    for (int i = 0; i < errors.length; i++) {
      StringWriter err = new StringWriter();
      CommandLine cli = O2vMain.commandLine().getSubcommands().get("train");
      cli.setErr(new PrintWriter(err));
      int code = new ErrorMapper().handleExecutionException(errors[i], cli, null);
      assertEquals(ExitCodes.IO, code, err.toString());
      assertEquals("o2v train: I/O error: /ro/model: " + expected[i], err.toString().strip());
    }
  }

  @Test
  void exitCodesFollowTheExceptionType() {
    assertEquals(ExitCodes.IO, ErrorMapper.exitCodeOf(new java.io.IOException("disk")));
    assertEquals(ExitCodes.SOFTWARE, ErrorMapper.exitCodeOf(new IllegalStateException("bug")));
    assertEquals(ExitCodes.DATA, ErrorMapper.exitCodeOf(new CliException(ExitCodes.DATA, "x")));
  }
}
