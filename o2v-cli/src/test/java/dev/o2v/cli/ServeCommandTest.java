package dev.o2v.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServeCommandTest {

  @TempDir Path dir;

  @Test
  void invalidOptionsAreUsageErrorsNamingTheOption() {
    CliRunner.Result workers = CliRunner.run("serve", "--model-dir", dir.toString(),
        "--workers", "0");
    assertEquals(ExitCodes.USAGE, workers.exitCode(), workers.err());
    assertTrue(workers.err().contains("--workers must be in [1, 256], found 0"), workers.err());
    CliRunner.Result port = CliRunner.run("serve", "--model-dir", dir.toString(),
        "--port", "70000");
    assertEquals(ExitCodes.USAGE, port.exitCode(), port.err());
    assertTrue(port.err().contains("--port must be in [0, 65535], found 70000"), port.err());
    CliRunner.Result device = CliRunner.run("serve", "--model-dir", dir.toString(),
        "--device", "tpu");
    assertEquals(ExitCodes.USAGE, device.exitCode(), device.err());
  }

  @Test
  void modelDirectoryIsRequiredAndMustHoldAModel() {
    CliRunner.Result missing = CliRunner.run("serve");
    assertEquals(ExitCodes.USAGE, missing.exitCode(), missing.err());
    assertTrue(missing.err().contains("--model-dir"), missing.err());
    CliRunner.Result empty = CliRunner.run("serve", "--model-dir", dir.toString());
    assertEquals(ExitCodes.IO, empty.exitCode(), empty.err());
    assertTrue(empty.err().startsWith("o2v serve: "), empty.err());
  }
}
