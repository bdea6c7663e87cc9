package dev.o2v.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code o2v train} into a model directory that cannot be created is a one-line I/O error. */
@Tag("engine")
class TrainModelDirFaultTest {

  @TempDir Path dir;

  @Test
  void aModelDirectoryUnderARegularFileIsAnIoErrorOnOneLine() throws Exception {
    TrainProcess.Inputs inputs = TrainProcess.writeInputs(dir, 50, 1);
    Path file = Files.writeString(dir.resolve("somefile"), "a regular file");
    CliRunner.Result result = CliRunner.run("train", "--hp", inputs.hp().toString(),
        "--data", inputs.train().toString(), "--model-dir", file.resolve("model").toString());
    assertEquals(ExitCodes.IO, result.exitCode(), result.err());
    String err = result.err().strip();
    assertTrue(err.startsWith("o2v train: I/O error: ") && err.contains(file.toString()), err);
    assertEquals(1, err.lines().count(), "one line:\n" + err);
  }
}
