package dev.o2v.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.o2v.core.prepare.TokenizerDescription;
import dev.o2v.core.prepare.Vocabulary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Tag;
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

  @Tag("engine")
  @Test
  void aHuggingFaceTokenizerIsEmbeddedInTheTokenizerDescription() throws IOException {
    Path hf = write("tokenizer.json", "{\"version\": \"1.0\", \"truncation\": null,"
        + " \"padding\": null, \"added_tokens\": [], \"normalizer\": null,"
        + " \"pre_tokenizer\": {\"type\": \"Whitespace\"}, \"post_processor\": null,"
        + " \"decoder\": null, \"model\": {\"type\": \"WordLevel\", \"unk_token\": \"[UNK]\","
        + " \"vocab\": {\"[UNK]\": 0, \"red\": 1, \"car\": 2}}}");
    Path input = write("pairs.tsv", "red car\tblue car\t1\nred\tgreen\t0\n");
    Path out = dir.resolve("hf");
    CliRunner.Result r = CliRunner.run("prepare", "--input", input.toString(), "--format", "tsv",
        "--in0", "0", "--in1", "1", "--label", "2", "--tokenizer", "hf:" + hf, "--out",
        out.toString());
    assertEquals(ExitCodes.OK, r.exitCode(), r.err());
    TokenizerDescription d = TokenizerDescription.read(out.resolve("tokenizer.json"));
    assertEquals(TokenizerDescription.Type.HUGGING_FACE, d.type());
    assertTrue(d.huggingFaceJson().orElseThrow().contains("WordLevel"), d.toString());
    // Tokens are the Hugging Face tokenizer's: words outside its list arrive as [UNK].
    assertEquals(Map.of("<unk>", 0, "[UNK]", 1, "car", 2, "red", 3),
        Vocabulary.read(out.resolve("vocab.json"), "<unk>").ids());
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
