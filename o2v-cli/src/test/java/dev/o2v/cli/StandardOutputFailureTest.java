package dev.o2v.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Results written to standard output are never lost silently: each command that prints them
 * exits 74 with one line when the output cannot be written, and stops quietly with the SIGPIPE
 * status when the reader of a pipe goes away. The commands run as child processes, so standard
 * output is a real file descriptor.
 */
@Tag("engine")
class StandardOutputFailureTest {

  private static final File FULL_DEVICE = new File("/dev/full");

  @TempDir static Path work;
  private static Path hp;
  private static Path train;
  private static Path model;
  private static Path manyPairs;

  @TempDir Path dir;

  @BeforeAll
  static void trainTinyModel() throws IOException {
    hp = work.resolve("hp.json");
    Files.writeString(hp, "{\"enc0_vocab_size\": 20, \"enc0_max_seq_len\": 6,"
        + " \"enc0_network\": \"pooled_embedding\", \"enc_dim\": 4, \"mlp_dim\": 4,"
        + " \"mlp_layers\": 1, \"mini_batch_size\": 32, \"epochs\": 1}");
    SplittableRandom rng = new SplittableRandom(5);
    train = work.resolve("train.jsonl");
    Files.writeString(train, lines(rng, 64, true));
    manyPairs = work.resolve("many.jsonl");
    Files.writeString(manyPairs, lines(rng, 20_000, false));
    model = work.resolve("model");
    CliRunner.Result r = CliRunner.run("train", "--hp", hp.toString(), "--data",
        train.toString(), "--model-dir", model.toString());
    assertEquals(0, r.exitCode(), r.err());
  }

  @Test
  void everyCommandThatPrintsResultsExits74WhenStandardOutputIsFull() throws Exception {
    assumeTrue(FULL_DEVICE.canWrite(), "needs /dev/full");
    Path table = Files.writeString(dir.resolve("pairs.tsv"), "a b\tc\t1\nb c\td\t0\n");
    String m = model.toString();
    List<List<String>> commands = List.of(
        List.of("predict", "--model-dir", m, "--data", manyPairs.toString()),
        List.of("embed", "--model-dir", m, "--data", manyPairs.toString()),
        List.of("evaluate", "--model-dir", m, "--data", train.toString()),
        List.of("neighbors", "--model-dir", m, "--side", "in0", "--query-ids", "1,2"),
        List.of("prepare", "--input", table.toString(), "--format", "tsv", "--in0", "0",
            "--in1", "1", "--label", "2", "--out", dir.resolve("prepared").toString()),
        List.of("train", "--hp", hp.toString(), "--data", train.toString(), "--model-dir",
            dir.resolve("model").toString()),
        List.of("train", "--dry-run", "--hp", hp.toString(), "--data", train.toString()));
    for (List<String> command : commands) {
      Path err = dir.resolve("err.txt");
      Process p = start(command, ProcessBuilder.Redirect.to(FULL_DEVICE), err);
      int code = await(p, command);
      List<String> errors = Files.readAllLines(err).stream()
          .filter(line -> line.startsWith("o2v")).toList();
      String what = command.get(0) + (command.contains("--dry-run") ? " --dry-run" : "");
      assertEquals(ExitCodes.IO, code, what + ":\n" + Files.readString(err));
      assertEquals(List.of("o2v " + command.get(0)
          + ": cannot write to standard output: no space left on device"), errors, what);
      assertFalse(Files.readString(err).contains("\tat "), what + " printed a stack trace");
    }
  }

  @Test
  void aClosedPipeEndsQuietlyWithTheSigpipeStatus() throws Exception {
    Path err = dir.resolve("err.txt");
    Process p = start(List.of("predict", "--model-dir", model.toString(), "--data",
        manyPairs.toString()), ProcessBuilder.Redirect.PIPE, err);
    try (BufferedReader out = new BufferedReader(
        new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String first = out.readLine();
      assertTrue(first != null && first.startsWith("{\"scores\":"), "first line: " + first);
    } // closing the pipe is what `| head -1` does after one line
    int code = await(p, List.of("predict"));
    String stderr = Files.readString(err);
    assertEquals(StandardOutput.CLOSED_PIPE_EXIT, code, stderr);
    assertFalse(stderr.contains("o2v predict:"), "no error message: " + stderr);
    assertFalse(stderr.contains("Exception"), "no stack trace: " + stderr);
  }

  @Test
  void evaluatingAnEmptyFileIsADataErrorNotANanMetric() throws IOException {
    Path empty = Files.writeString(dir.resolve("empty.jsonl"), "\n");
    CliRunner.Result r = CliRunner.run("evaluate", "--model-dir", model.toString(), "--data",
        empty.toString());
    assertEquals(ExitCodes.DATA, r.exitCode(), r.err());
    assertEquals("o2v evaluate: test channel " + empty
        + ": no usable records (it needs at least one)", r.err().strip());
    assertFalse(r.out().contains("nan"), r.out());
  }

  @Test
  void anOutputFileThatCannotBeCreatedIsNamedNotItsTemporaryFile() throws IOException {
    Path aFile = Files.writeString(dir.resolve("a-file"), "");
    Path[] outs = {dir.resolve("missing-dir").resolve("out.jsonl"), aFile.resolve("out.jsonl")};
    String[] reasons = {"no such file or directory", "not a directory"};
    for (int i = 0; i < outs.length; i++) {
      CliRunner.Result r = CliRunner.run("predict", "--model-dir", model.toString(), "--data",
          train.toString(), "--out", outs[i].toString());
      assertEquals(ExitCodes.IO, r.exitCode(), r.err());
      assertEquals("o2v predict: I/O error: " + outs[i] + ": cannot write: " + reasons[i],
          r.err().strip());
    }
  }

  private static Process start(List<String> args, ProcessBuilder.Redirect stdout, Path stderr)
      throws IOException {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx1g",
        "-Dai.djl.offline=true",
        "-Dai.djl.pytorch.num_threads=1",
        "-Dai.djl.pytorch.num_interop_threads=1",
        "-cp", System.getProperty("java.class.path"),
        O2vMain.class.getName()));
    command.addAll(args);
    return new ProcessBuilder(command)
        .redirectOutput(stdout)
        .redirectError(stderr.toFile())
        .start();
  }

  private static int await(Process p, List<String> command) throws InterruptedException {
    if (!p.waitFor(3, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError("did not finish: " + command);
    }
    return p.exitValue();
  }

  private static String lines(SplittableRandom rng, int n, boolean labelled) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < n; i++) {
      text.append('{');
      if (labelled) {
        text.append("\"label\":").append(rng.nextInt(2)).append(',');
      }
      text.append("\"in0\":").append(ids(rng)).append(",\"in1\":").append(ids(rng))
          .append("}\n");
    }
    return text.toString();
  }

  private static String ids(SplittableRandom rng) {
    StringBuilder out = new StringBuilder("[");
    int n = 1 + rng.nextInt(5);
    for (int i = 0; i < n; i++) {
      out.append(i > 0 ? "," : "").append(rng.nextInt(20));
    }
    return out.append(']').toString();
  }
}
