package dev.o2v.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.o2v.core.prepare.Vocabulary;
import dev.o2v.inference.text.TextEncoder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A tokenizer description in {@code --aux} that could not encode text is refused by {@code train}
 * and {@code train --dry-run}, before anything is trained, instead of by the first {@code embed
 * --text}.
 */
@Tag("engine")
class TrainAuxTokenizerTest {

  @TempDir static Path work;
  private static Path prepared;

  @BeforeAll
  static void prepare() throws IOException {
    Path input = Files.writeString(work.resolve("pairs.tsv"),
        "red car\tblue car\t1\nred sky\tgreen tree\t0\nblue sky\tred car\t1\n");
    prepared = work.resolve("prepared");
    CliRunner.Result r = CliRunner.run("prepare", "--input", input.toString(), "--format", "tsv",
        "--in0", "0", "--in1", "1", "--label", "2", "--out", prepared.toString());
    assertEquals(0, r.exitCode(), r.err());
  }

  private static CliRunner.Result train(Path aux, Path model, String... extra) {
    List<String> args = new ArrayList<>(List.of("train", "--hp",
        prepared.resolve("hp.json").toString(), "--data",
        prepared.resolve("train.jsonl").toString(), "--aux", aux.toString(), "--model-dir",
        model.toString(), "--set", "epochs=1", "--set", "enc_dim=4", "--set",
        "enc0_token_embedding_dim=4", "--set", "mlp_dim=4"));
    args.addAll(List.of(extra));
    return CliRunner.run(args.toArray(String[]::new));
  }

  private static Path auxWithTokenizer(String name, String tokenizerJson) throws IOException {
    Path aux = Files.createDirectories(work.resolve(name));
    for (String file : List.of("vocab.json", "hp.json", "train.jsonl")) {
      Files.copy(prepared.resolve(file), aux.resolve(file));
    }
    Files.writeString(aux.resolve("tokenizer.json"), tokenizerJson);
    return aux;
  }

  private static void assertRefusedByTrainAndDryRun(Path aux, String reason, String... extra) {
    Path model = work.resolve("model-" + aux.getFileName());
    for (boolean dryRun : new boolean[] {true, false}) {
      List<String> args = new ArrayList<>(List.of(extra));
      if (dryRun) {
        args.add("--dry-run");
      }
      CliRunner.Result r = train(aux, model, args.toArray(String[]::new));
      String err = TrainFixture.assertOneLineRefusal(ExitCodes.DATA, r);
      assertTrue(err.contains(aux.resolve("tokenizer.json").toString()) && err.contains(reason),
          "dry run " + dryRun + ": " + err);
      assertFalse(Files.exists(model), "nothing trained or created");
    }
  }

  @Test
  void anUnknownTokenizerTypeIsRefusedBeforeTraining() throws IOException {
    Path aux = auxWithTokenizer("unknown-type", "{\"format\": \"o2v-tokenizer\","
        + " \"format_version\": 1, \"type\": \"sentencepiece\", \"lowercase\": false,"
        + " \"unknown_token\": \"<unk>\", \"in0\": \"text\", \"in1\": \"text\"}");
    assertRefusedByTrainAndDryRun(aux, "unknown tokenizer type 'sentencepiece'");
  }

  @Test
  void anUnusableHuggingFaceDefinitionIsRefusedBeforeTraining() throws IOException {
    Path aux = auxWithTokenizer("bad-hf", "{\"format\": \"o2v-tokenizer\","
        + " \"format_version\": 1, \"type\": \"huggingface\", \"lowercase\": false,"
        + " \"unknown_token\": \"<unk>\", \"in0\": \"text\", \"in1\": \"text\","
        + " \"huggingface\": {\"model\": {\"type\": \"NoSuchModel\"}}}");
    assertRefusedByTrainAndDryRun(aux, "not a usable Hugging Face tokenizer");
  }

  @Test
  void aTextSideWithoutAVocabularyIsRefusedBeforeTraining() throws IOException {
    Path aux = auxWithTokenizer("no-vocab", Files.readString(prepared.resolve("tokenizer.json")));
    assertRefusedByTrainAndDryRun(aux, "in0 holds text, but enc0_vocab_file names no vocabulary",
        "--set", "enc0_vocab_file=", "--set", "enc1_vocab_file=");
  }

  @Test
  void aVocabularyEntryBeyondTheVocabSizeIsLeftOutOfTheTextEncoderWithOneWarning()
      throws IOException {
    Path aux = auxWithTokenizer("beyond", Files.readString(prepared.resolve("tokenizer.json")));
    Vocabulary original = Vocabulary.read(aux.resolve("vocab.json"), "<unk>");
    int vocabSize = original.size();
    Map<String, Integer> ids = new TreeMap<>(original.ids());
    ids.put("violet", vocabSize); // as the genre example numbers its <unk>: no table row
    ObjectMapper json = new ObjectMapper();
    Files.writeString(aux.resolve("vocab.json"), json.writeValueAsString(ids));
    Path model = work.resolve("model-beyond");
    CliRunner.Result t = train(aux, model);
    assertEquals(ExitCodes.OK, t.exitCode(), t.err());

    Logger logger = (Logger) LoggerFactory.getLogger(TextEncoder.class);
    ListAppender<ILoggingEvent> warnings = new ListAppender<>();
    warnings.start();
    logger.addAppender(warnings);
    CliRunner.Result withBeyond;
    try {
      withBeyond = CliRunner.run("embed", "--model-dir", model.toString(), "--text",
          "violet car");
    } finally {
      logger.detachAppender(warnings);
    }
    assertEquals(ExitCodes.OK, withBeyond.exitCode(), withBeyond.err());
    List<String> messages = new ArrayList<>();
    warnings.list.forEach(e -> messages.add(e.getLevel() + " " + e.getFormattedMessage()));
    assertEquals(1, messages.size(), messages.toString());
    assertTrue(messages.get(0).startsWith("WARN ") && messages.get(0).contains(
        "skipped 1 vocabulary entry whose id is outside [0, " + vocabSize + ") (e.g. 'violet' = "
            + vocabSize + ")"), messages.toString());

    // violet is unknown (id 0, padding), so the text embeds as its known word alone.
    CliRunner.Result knownOnly = CliRunner.run("embed", "--model-dir", model.toString(),
        "--text", "car");
    assertEquals(ExitCodes.OK, knownOnly.exitCode(), knownOnly.err());
    JsonNode expected = json.readTree(knownOnly.out()).get("embeddings");
    JsonNode actual = json.readTree(withBeyond.out()).get("embeddings");
    assertEquals(4, actual.size(), withBeyond.out());
    for (int i = 0; i < actual.size(); i++) {
      assertEquals(expected.get(i).asDouble(), actual.get(i).asDouble(), 1e-6,
          "value " + i + ": " + withBeyond.out() + " vs " + knownOnly.out());
    }
  }

  @Test
  void theDescriptionThatPrepareWroteIsAccepted() {
    CliRunner.Result r = train(prepared, work.resolve("model-good"), "--dry-run");
    assertEquals(ExitCodes.OK, r.exitCode(), r.err());
  }

  @Test
  void overwritingAModelRemovesTheFilesOnlyTheReplacedModelListed() throws IOException {
    Path model = work.resolve("replaced");
    CliRunner.Result text = train(prepared, model);
    assertEquals(ExitCodes.OK, text.exitCode(), text.err());
    assertTrue(Files.exists(model.resolve("vocab.json")) && Files.exists(
        model.resolve("tokenizer.json")), "the text model's vocabulary and tokenizer");
    Path idsOnly = Files.createDirectories(work.resolve("ids-only-aux"));
    CliRunner.Result ids = train(idsOnly, model, "--overwrite", "--set", "enc0_vocab_file=",
        "--set", "enc1_vocab_file=");
    assertEquals(ExitCodes.OK, ids.exitCode(), ids.err());
    assertFalse(Files.exists(model.resolve("vocab.json")), "stale vocabulary left");
    assertFalse(Files.exists(model.resolve("tokenizer.json")), "stale tokenizer left");
  }
}
