package dev.o2v.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrepareCommandTest {

  @TempDir Path dir;

  private Path write(String name, String text) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, text);
    return file;
  }

  @Test
  void preparesATableAndSaysHowToTrainOnIt() throws IOException {
    Path input = write("pairs.csv", "a,b,y\n\"Hi, there\",hello,yes\nbye,\"so long\",no\n");
    Path out = dir.resolve("out");
    CliRunner.Result r = CliRunner.run("prepare", "--input", input.toString(), "--format", "csv",
        "--in0", "a", "--in1", "b", "--label", "y", "--label-map", "no=0,yes=1", "--out",
        out.toString());
    assertEquals(ExitCodes.OK, r.exitCode(), r.err());
    assertTrue(r.out().contains("rows: train 2"), r.out());
    assertTrue(r.out().contains("labels: 2 classes (softmax)"), r.out());
    assertTrue(r.out().contains("--aux " + out), r.out());
    for (String f : new String[] {"train.jsonl", "vocab.json", "tokenizer.json", "hp.json"}) {
      assertTrue(Files.exists(out.resolve(f)), f);
    }
  }

  @Test
  void badDataEndsWithFileLineAndExitCode65() throws IOException {
    Path input = write("pairs.tsv", "x\ty\tyes\nx\ty\tmaybe\n");
    CliRunner.Result r = CliRunner.run("prepare", "--input", input.toString(), "--format", "tsv",
        "--in0", "0", "--in1", "1", "--label", "2", "--label-map", "no=0,yes=1", "--out",
        dir.resolve("out").toString());
    assertEquals(ExitCodes.DATA, r.exitCode(), r.err());
    assertEquals("o2v prepare: " + input + ":2: label 'maybe' is not in --label-map (no, yes)",
        r.err().strip());
  }

  @Test
  void aMissingInputFileIsADataError() {
    Path missing = dir.resolve("none.tsv");
    CliRunner.Result r = CliRunner.run("prepare", "--input", missing.toString(), "--format",
        "tsv", "--in0", "0", "--in1", "1", "--label", "2", "--out", dir.toString());
    assertEquals(ExitCodes.DATA, r.exitCode(), r.err());
    assertTrue(r.err().contains(missing + ": file not found"), r.err());
  }

  @Test
  void contradictoryOptionsAreUsageErrors() throws IOException {
    Path input = write("p.tsv", "x\ty\t1\n");
    CliRunner.Result badSplit = CliRunner.run("prepare", "--input", input.toString(), "--format",
        "tsv", "--in0", "0", "--in1", "1", "--label", "2", "--out", dir.toString(), "--split",
        "train=0.5");
    assertEquals(ExitCodes.USAGE, badSplit.exitCode(), badSplit.err());
    assertTrue(badSplit.err().contains("--split fractions must add up to 1"), badSplit.err());

    CliRunner.Result badFormat = CliRunner.run("prepare", "--input", input.toString(),
        "--format", "xls", "--in0", "0", "--in1", "1", "--label", "2", "--out", dir.toString());
    assertEquals(ExitCodes.USAGE, badFormat.exitCode(), badFormat.err());

    CliRunner.Result named = CliRunner.run("prepare", "--input", input.toString(), "--format",
        "tsv", "--in0", "first", "--in1", "1", "--label", "2", "--no-header", "--out",
        dir.toString());
    assertEquals(ExitCodes.USAGE, named.exitCode(), named.err());
    assertTrue(named.err().contains("--no-header"), named.err());
  }
}
