package dev.o2v.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainCommandTest {

  @TempDir Path tmp;

  private Path write(String name, String content) throws IOException {
    Path file = tmp.resolve(name);
    Files.writeString(file, content, StandardCharsets.UTF_8);
    return file;
  }

  private Path hp(String extra) throws IOException {
    return write(
        "hp.json",
        "{\"enc0_vocab_size\": \"10\", \"enc0_max_seq_len\": \"4\", \"enc_dim\": \"8\","
            + " \"enc0_network\": \"pooled_embedding\", \"epochs\": \"1\"" + extra + "}");
  }

  @Test
  void dryRunValidatesAndSummarisesWithoutTraining() throws IOException {
    Path data =
        write("train.jsonl", "{\"label\": 1, \"in0\": [1, 2], \"in1\": [3]}\n"
            + "{\"label\": 0, \"in0\": [4], \"in1\": [5, 6, 7, 8, 9]}\n\n");
    Path model = tmp.resolve("model");
    CliRunner.Result r =
        CliRunner.run("train", "--dry-run", "--hp", hp("").toString(), "--data", data.toString(),
            "--model-dir", model.toString());
    assertEquals(ExitCodes.OK, r.exitCode(), r.err());
    assertTrue(r.out().contains("2 records") || r.out().contains("records: 2"), r.out());
    assertTrue(r.out().contains("enc_dim = 8"), r.out());
    assertFalse(Files.exists(model), "a dry run trains nothing");
  }

  @Test
  void everyHyperparameterViolationIsReportedWithExitCode2() throws IOException {
    Path data = write("train.jsonl", "{\"label\": 1, \"in0\": [1], \"in1\": [3]}\n");
    CliRunner.Result r =
        CliRunner.run("train", "--dry-run", "--hp",
            hp(", \"enc_dims\": \"8\", \"mlp_layers\": \"11\"").toString(), "--data", data.toString());
    assertEquals(ExitCodes.USAGE, r.exitCode(), r.err());
    assertTrue(r.err().contains("did you mean 'enc_dim'?"), r.err());
    assertTrue(r.err().contains("mlp_layers must be"), r.err());
    assertFalse(r.err().contains("\tat "), "no stack trace without --verbose: " + r.err());
  }

  @Test
  void setOverridesTheFile() throws IOException {
    Path data = write("train.jsonl", "{\"label\": 1, \"in0\": [1], \"in1\": [3]}\n");
    CliRunner.Result r =
        CliRunner.run("train", "--dry-run", "--hp", hp("").toString(), "--data",
            data.toString(), "--set", "enc_dim=12");
    assertEquals(ExitCodes.OK, r.exitCode(), r.err());
    assertTrue(r.out().contains("enc_dim = 12"), r.out());
  }

  @Test
  void aBadDataLineStopsWithFileLineAndExitCode65() throws IOException {
    Path data =
        write("train.jsonl", "{\"label\": 1, \"in0\": [1], \"in1\": [3]}\n"
            + "{\"label\": 1, \"in0\": [1.5], \"in1\": [3]}\n");
    CliRunner.Result r =
        CliRunner.run("train", "--dry-run", "--hp", hp("").toString(), "--data", data.toString());
    assertEquals(ExitCodes.DATA, r.exitCode(), r.err());
    assertTrue(r.err().contains(data + ":2: "), r.err());
    assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
  }

  @Test
  void recordsWithAnEmptyOrAllZeroSideAreDiscardedCountedAndLoggedPerChannel() throws Exception {
    Path train =
        write("train.jsonl", "{\"label\": 1, \"in0\": [1, 2], \"in1\": [3]}\n"
            + "{\"label\": 0, \"in0\": [], \"in1\": [3]}\n"
            + "{\"label\": 0, \"in0\": [4, 0], \"in1\": [0, 0]}\n"
            + "{\"label\": 1, \"in0\": [0, 5], \"in1\": [6]}\n"
            + "{\"label\": 0, \"in0\": [7], \"in1\": [8, 9]}\n");
    Path validation =
        write("validation.jsonl", "{\"label\": 1, \"in0\": [0], \"in1\": [3]}\n"
            + "{\"label\": 0, \"in0\": [2], \"in1\": [3]}\n");
    Path log = tmp.resolve("train.log");
    Process run = TrainProcess.start(
        new TrainProcess.Inputs(hp(""), train, validation), tmp.resolve("model"), log);
    assertEquals(0, TrainProcess.await(run, log), TrainProcess.tail(log));
    String text = Files.readString(log);
    assertTrue(text.contains("train channel: 2 records contain id 0"), text);
    assertTrue(text.contains("train channel: 2 records discarded (a side was empty or held only"
        + " id 0)"), text);
    assertTrue(text.contains("validation channel: 1 records contain id 0"), text);
    assertTrue(text.contains("validation channel: 1 records discarded"), text);
    assertTrue(text.contains("train channel " + train + ": 3 records"), text);
  }

  @Test
  void aTrainChannelWhoseRecordsAreAllDiscardedStopsWithExitCode65NamingIt() throws IOException {
    Path data =
        write("train.jsonl", "{\"label\": 1, \"in0\": [0, 0], \"in1\": [3]}\n"
            + "{\"label\": 1, \"in0\": [1], \"in1\": []}\n");
    CliRunner.Result r =
        CliRunner.run("train", "--dry-run", "--hp", hp("").toString(), "--data", data.toString());
    assertEquals(ExitCodes.DATA, r.exitCode(), r.err());
    assertTrue(r.err().contains(data + ": all 2 records of the train channel were discarded"),
        r.err());
    assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
  }

  @Test
  void aMissingDataFileIsAnIoError() throws IOException {
    CliRunner.Result r =
        CliRunner.run("train", "--dry-run", "--hp", hp("").toString(), "--data",
            tmp.resolve("nope.jsonl").toString());
    assertEquals(ExitCodes.IO, r.exitCode(), r.err());
    assertTrue(r.err().contains("nope.jsonl"), r.err());
  }

  @Test
  void dryRunReadsTheAuxiliaryFilesAsTrainingWould() throws IOException {
    Path data = write("train.jsonl", "{\"label\": 1, \"in0\": [1], \"in1\": [3]}\n");
    Path aux = Files.createDirectory(tmp.resolve("aux"));
    // The genre example's vocabulary shape: <unk> takes the id equal to the vocab size.
    Files.writeString(aux.resolve("vocab.json"), "{\"the\": 1, \"cat\": 2, \"<unk>\": 10}");
    Files.writeString(aux.resolve("glove.840B-trim.txt"), "the 1 2 3 4 5 6 7 8\n");
    String files = ", \"enc0_vocab_file\": \"vocab.json\","
        + " \"enc0_pretrained_embedding_file\": \"glove.840B-trim.txt\"";
    CliRunner.Result ok = CliRunner.run("train", "--dry-run", "--hp", hp(files).toString(),
        "--data", data.toString(), "--aux", aux.toString());
    assertEquals(ExitCodes.OK, ok.exitCode(), ok.err());
    assertTrue(ok.out().contains("auxiliary: enc0 vocabulary vocab.json: 2 entries"), ok.out());
    assertTrue(ok.out().contains(
        "auxiliary: enc0 pretrained embeddings glove.840B-trim.txt: vectors of width 8"), ok.out());

    // pooled_embedding's token dim is enc_dim (8): a file of width 4 fails before training.
    Files.writeString(aux.resolve("glove.840B-trim.txt"), "the 1 2 3 4\n");
    CliRunner.Result narrow = CliRunner.run("train", "--dry-run", "--hp", hp(files).toString(),
        "--data", data.toString(), "--aux", aux.toString());
    assertEquals(ExitCodes.DATA, narrow.exitCode(), narrow.err());
    assertTrue(narrow.err().contains(aux.resolve("glove.840B-trim.txt") + ":1: vector width"),
        narrow.err());
  }

  @Test
  void dryRunRefusesAMissingVocabularyAndABrokenTokenizerDescription() throws IOException {
    Path data = write("train.jsonl", "{\"label\": 1, \"in0\": [1], \"in1\": [3]}\n");
    Path aux = Files.createDirectory(tmp.resolve("aux"));
    CliRunner.Result missing = CliRunner.run("train", "--dry-run", "--hp",
        hp(", \"enc0_vocab_file\": \"vocab-0.json\"").toString(), "--data", data.toString(),
        "--aux", aux.toString());
    assertEquals(ExitCodes.DATA, missing.exitCode(), missing.err());
    assertTrue(missing.err().contains(aux.resolve("vocab-0.json") + ": file not found"),
        missing.err());

    Files.writeString(aux.resolve("tokenizer.json"), "{\"format\": ");
    CliRunner.Result broken = CliRunner.run("train", "--dry-run", "--hp", hp("").toString(),
        "--data", data.toString(), "--aux", aux.toString());
    assertEquals(ExitCodes.DATA, broken.exitCode(), broken.err());
    assertTrue(broken.err().contains(aux.resolve("tokenizer.json").toString()), broken.err());
  }

  @Test
  void missingRequiredOptionsAreUsageErrors() {
    CliRunner.Result r = CliRunner.run("train");
    assertEquals(ExitCodes.USAGE, r.exitCode(), r.err());
    assertTrue(r.err().contains("--hp"), r.err());
  }

  @Test
  void helpHpPrintsEveryKey() {
    CliRunner.Result r = CliRunner.run("train", "--help-hp");
    assertEquals(ExitCodes.OK, r.exitCode(), r.err());
    for (String key : new String[] {"enc0_max_seq_len", "token_embedding_storage_type",
        "weight_decay", "comparator_list", "enc1_vocab_file"}) {
      assertTrue(r.out().contains(key), key);
    }
  }
}
