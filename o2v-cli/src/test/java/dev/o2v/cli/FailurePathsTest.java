package dev.o2v.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.o2v.core.data.Channel;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Runs that cannot succeed stop before they start, inputs without an end are refused, options are
 * bounded, and every such refusal is one line without parser or JDK internals.
 */
class FailurePathsTest {

  private static final Path ENDLESS = Path.of("/dev/zero");

  @TempDir Path tmp;

  private Path write(String name, String content) throws IOException {
    Path file = tmp.resolve(name);
    Files.writeString(file, content, StandardCharsets.UTF_8);
    return file;
  }

  private Path hp() throws IOException {
    return write("hp.json", "{\"enc0_vocab_size\": \"10\", \"enc0_max_seq_len\": \"4\","
        + " \"enc_dim\": \"8\", \"enc0_network\": \"pooled_embedding\", \"epochs\": \"1\"}");
  }

  private Path train() throws IOException {
    return write("train.jsonl", "{\"label\": 1, \"in0\": [1, 2], \"in1\": [3]}\n"
        + "{\"label\": 0, \"in0\": [4], \"in1\": [5, 6]}\n");
  }

  /** Asserts the exit code and that stderr is one line containing every fragment. */
  private static void assertOneLine(CliRunner.Result r, int code, String... fragments) {
    assertEquals(code, r.exitCode(), r.err());
    String err = r.err().strip();
    assertEquals(1, err.lines().count(), "one line expected:\n" + err);
    for (String fragment : fragments) {
      assertTrue(err.contains(fragment), "'" + fragment + "' missing from: " + err);
    }
    for (String internal : new String[] {"`", "JsonReadFeature", "StreamReadConstraints",
        "MalformedInputException", "Input length", "Exception", ".partial"}) {
      assertFalse(err.contains(internal), "'" + internal + "' in: " + err);
    }
  }

  // Empty channels

  @Test
  void anEmptyTrainingChannelIsADataErrorAtDryRun() throws IOException {
    Path empty = write("empty.jsonl", "\n\n");
    CliRunner.Result r = CliRunner.run("train", "--dry-run", "--hp", hp().toString(),
        "--data", empty.toString());
    assertOneLine(r, ExitCodes.DATA, "train channel " + empty, "no usable records");
  }

  @Test
  void anEmptyValidationOrTestChannelIsADataErrorAtDryRun() throws IOException {
    Path empty = write("empty.jsonl", "");
    for (String channel : new String[] {"validation", "test"}) {
      CliRunner.Result r = CliRunner.run("train", "--dry-run", "--hp", hp().toString(),
          "--data", train().toString(), "--" + channel, empty.toString());
      assertOneLine(r, ExitCodes.DATA, channel + " channel " + empty, "no usable records");
    }
  }

  @Test
  void prepareRefusesASplitThatLeavesAPartEmptyAndWritesNothing() throws IOException {
    Path table = write("pairs.tsv", "a b\tc d\t1\nb c\td e\t0\ne f\tg h\t1\n");
    Path out = tmp.resolve("prepared");
    CliRunner.Result r = CliRunner.run("prepare", "--input", table.toString(), "--format", "tsv",
        "--in0", "0", "--in1", "1", "--label", "2", "--split", "train=0.9,validation=0.1",
        "--out", out.toString());
    assertOneLine(r, ExitCodes.USAGE, "'validation' empty");
    assertFalse(Files.exists(out), "nothing written");
  }

  // Channel directories

  @Test
  void aChannelDirectoryReadsJsonlInAnyCaseAndWarnsAboutWhatItSkips() throws IOException {
    Path dir = Files.createDirectory(tmp.resolve("channel"));
    String record = "{\"label\": 1, \"in0\": [1, 2], \"in1\": [3]}\n";
    Files.writeString(dir.resolve("a.JSONL"), record);
    Files.writeString(dir.resolve("b.Jsonl"), record + record);
    Files.writeString(dir.resolve("c.json"), record);
    Files.createDirectory(dir.resolve("nested"));
    Logger logger = (Logger) LoggerFactory.getLogger(Channel.class);
    ListAppender<ILoggingEvent> warnings = new ListAppender<>();
    warnings.start();
    logger.addAppender(warnings);
    try {
      CliRunner.Result r = CliRunner.run("train", "--dry-run", "--hp", hp().toString(),
          "--data", dir.toString());
      assertEquals(ExitCodes.OK, r.exitCode(), r.err());
      assertTrue(r.out().contains("records: 3"), "all three records of both files:\n" + r.out());
    } finally {
      logger.detachAppender(warnings);
    }
    List<String> messages = new ArrayList<>();
    warnings.list.forEach(e -> messages.add(e.getLevel() + " " + e.getFormattedMessage()));
    assertEquals(1, messages.size(), messages.toString());
    assertTrue(messages.get(0).startsWith("WARN "), messages.toString());
    assertTrue(messages.get(0).contains("c.json, nested/"), messages.toString());
  }

  // Bounded options

  @Test
  void threadAndSizeOptionsAreBoundedWithOneLineUsageErrors() {
    String model = tmp.resolve("no-model").toString();
    String[][] cases = {
      {"--workers", "predict", "--model-dir", model, "--data", "in.jsonl", "--workers",
          "100000000"},
      {"--workers", "embed", "--model-dir", model, "--data", "in.jsonl", "--workers", "257"},
      {"--batch-size", "predict", "--model-dir", model, "--data", "in.jsonl", "--batch-size",
          "1000000000"},
      {"--batch-size", "embed", "--model-dir", model, "--data", "in.jsonl", "--batch-size", "0"},
      {"-k", "neighbors", "--model-dir", model, "--side", "in0", "--query-ids", "1", "-k",
          "2000000000"},
      {"--batch-size", "neighbors", "--model-dir", model, "--side", "in0", "--query-ids", "1",
          "--batch-size", "100000000"},
      {"--threads", "train", "--hp", "hp.json", "--data", "d.jsonl", "--threads", "100000"},
      {"--threads", "evaluate", "--model-dir", model, "--data", "d.jsonl", "--threads",
          "100000"},
      {"--queue-capacity", "serve", "--model-dir", model, "--queue-capacity", "2000000000"},
      {"--max-batch", "serve", "--model-dir", model, "--max-batch", "2000000000"},
      {"--max-body-bytes", "serve", "--model-dir", model, "--max-body-bytes", "2000000000"},
      {"--drain-seconds", "serve", "--model-dir", model, "--drain-seconds", "2000000000"},
    };
    for (String[] c : cases) {
      String[] args = Arrays.copyOfRange(c, 1, c.length);
      CliRunner.Result r = CliRunner.run(args);
      assertOneLine(r, ExitCodes.USAGE, "o2v " + args[0] + ": " + c[0] + " must be in [");
    }
  }

  // Inputs without an end

  @Test
  void anEndlessHyperparameterFileIsRefusedAtItsSizeLimit() throws IOException {
    assumeTrue(Files.isReadable(ENDLESS), "needs /dev/zero");
    CliRunner.Result r = CliRunner.run("train", "--dry-run", "--hp", ENDLESS.toString(),
        "--data", train().toString());
    assertOneLine(r, ExitCodes.USAGE, "/dev/zero: larger than 1 MiB");
  }

  @Test
  void aHugeSparseHyperparameterFileIsRefusedAtItsSizeLimit() throws IOException {
    Path sparse = tmp.resolve("sparse.json");
    try (RandomAccessFile file = new RandomAccessFile(sparse.toFile(), "rw")) {
      file.setLength(3L << 30);
    }
    CliRunner.Result r = CliRunner.run("train", "--dry-run", "--hp", sparse.toString(),
        "--data", train().toString());
    assertOneLine(r, ExitCodes.USAGE, sparse + ": larger than 1 MiB");
  }

  @Test
  void prepareRefusesAnEndlessInputInEveryFormat() throws IOException {
    assumeTrue(Files.isReadable(ENDLESS), "needs /dev/zero");
    String[][] formats = {{"tsv", "0", "1", "2"}, {"csv", "0", "1", "2"}, {"jsonl", "a", "b", "c"}};
    for (String[] f : formats) {
      CliRunner.Result r = CliRunner.run("prepare", "--input", ENDLESS.toString(), "--format",
          f[0], "--in0", f[1], "--in1", f[2], "--label", f[3], "--out",
          tmp.resolve("out-" + f[0]).toString());
      assertOneLine(r, ExitCodes.DATA, "/dev/zero:1: line is longer than");
    }
  }

  @Test
  void prepareRefusesEndlessVocabularyAndPretrainedFiles() throws IOException {
    assumeTrue(Files.isReadable(ENDLESS), "needs /dev/zero");
    Path table = write("pairs.tsv", "a b\tc d\t1\nb c\td e\t0\n");
    String[][] cases = {{"--vocab", "128 MiB"}, {"--pretrained", "line is longer than"}};
    for (String[] c : cases) {
      CliRunner.Result r = CliRunner.run("prepare", "--input", table.toString(), "--format",
          "tsv", "--in0", "0", "--in1", "1", "--label", "2", c[0], ENDLESS.toString(),
          "--out", tmp.resolve("out" + c[0]).toString());
      assertOneLine(r, ExitCodes.DATA, "/dev/zero", c[1]);
    }
  }

  // Messages

  @Test
  void usageErrorsAreOneLinePointingToHelp() {
    String[][] cases = {
      {"train", "--no-such-option"},
      {"predict", "--model-dir", "m"},
      {"embed", "--model-dir", "m", "--data", "d", "--workers", "many"},
      {"prepare", "--input", "x"},
      {"serve"},
    };
    for (String[] args : cases) {
      CliRunner.Result r = CliRunner.run(args);
      assertOneLine(r, ExitCodes.USAGE, "o2v " + args[0] + ": ", "'o2v " + args[0] + " --help'");
    }
  }

  @Test
  void jsonErrorsInHyperparametersAndDataNameNoParserInternals() throws IOException {
    String[] values = {"NaN", "+1", "1" + "0".repeat(1200), "'x'"};
    for (String value : values) {
      Path hp = write("bad-hp.json", "{\"epochs\": " + value + "}");
      CliRunner.Result r = CliRunner.run("train", "--dry-run", "--hp", hp.toString(),
          "--data", train().toString());
      assertOneLine(r, ExitCodes.USAGE, hp + ": ", "invalid JSON");
    }
    Path data = write("bad.jsonl", "{\"label\": NaN, \"in0\": [1], \"in1\": [2]}\n");
    CliRunner.Result r = CliRunner.run("train", "--dry-run", "--hp", hp().toString(),
        "--data", data.toString());
    assertOneLine(r, ExitCodes.DATA, data + ":1:");
  }

  @Test
  void aHyperparameterFileThatIsNotUtf8SaysSoWithoutDecoderInternals() throws IOException {
    Path hp = tmp.resolve("latin1.json");
    Files.write(hp, "{\"epochs\": \"\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1));
    CliRunner.Result r = CliRunner.run("train", "--dry-run", "--hp", hp.toString(),
        "--data", train().toString());
    assertOneLine(r, ExitCodes.USAGE, hp + ": not valid UTF-8 text (at byte 12)");
  }

  @Test
  void aByteOrderMarkIsAcceptedInHyperparameterFilesAsInDataFiles() throws IOException {
    Path hp = hp();
    byte[] text = Files.readAllBytes(hp);
    byte[] withBom = new byte[text.length + 3];
    withBom[0] = (byte) 0xEF;
    withBom[1] = (byte) 0xBB;
    withBom[2] = (byte) 0xBF;
    System.arraycopy(text, 0, withBom, 3, text.length);
    Files.write(hp, withBom);
    CliRunner.Result r = CliRunner.run("train", "--dry-run", "--hp", hp.toString(),
        "--data", train().toString());
    assertEquals(ExitCodes.OK, r.exitCode(), r.err());
  }

  @Test
  void aSymbolicLinkLoopIsCalledALoop() throws IOException {
    Path a = tmp.resolve("a.json");
    Path b = tmp.resolve("b.json");
    Files.createSymbolicLink(a, b);
    Files.createSymbolicLink(b, a);
    CliRunner.Result hp = CliRunner.run("train", "--dry-run", "--hp", a.toString(),
        "--data", train().toString());
    assertOneLine(hp, ExitCodes.USAGE, a + ": cannot read: symbolic link loop");
    CliRunner.Result data = CliRunner.run("train", "--dry-run", "--hp", hp().toString(),
        "--data", a.toString());
    assertOneLine(data, ExitCodes.IO, a + ": symbolic link loop");
  }

  @Test
  void anUnreadableHyperparameterFileGivesTheReason() throws IOException {
    CliRunner.Result dir = CliRunner.run("train", "--dry-run", "--hp", tmp.toString(),
        "--data", train().toString());
    assertOneLine(dir, ExitCodes.USAGE, tmp + ": cannot read: is a directory");
    Path locked = hp();
    assumeTrue(locked.toFile().setReadable(false, false) && !Files.isReadable(locked),
        "permissions are not enforced for this user");
    CliRunner.Result r = CliRunner.run("train", "--dry-run", "--hp", locked.toString(),
        "--data", train().toString());
    assertOneLine(r, ExitCodes.USAGE, locked + ": cannot read: permission denied");
  }
}
