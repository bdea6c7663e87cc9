package dev.o2v.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.o2v.core.prepare.Vocabulary;
import dev.o2v.core.prepare.WordTokenizer;
import dev.o2v.train.model.ModelManifest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** prepare → train → embed/predict on raw text, through the command line. */
@Tag("engine")
class TextRoundTripTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String[] TOPICS = {"apple pear fruit", "car road wheel", "rain cloud sky"};

  @TempDir static Path work;
  private static Path prepared;
  private static Path model;

  @TempDir Path dir;

  @BeforeAll
  static void prepareAndTrain() throws IOException {
    SplittableRandom rng = new SplittableRandom(5);
    StringBuilder table = new StringBuilder("left\tright\tsame\n");
    for (int i = 0; i < 48; i++) {
      int a = rng.nextInt(3);
      int b = rng.nextInt(3);
      table.append(sentence(rng, a)).append('\t').append(sentence(rng, b)).append('\t')
          .append(a == b ? "yes" : "no").append('\n');
    }
    Path input = work.resolve("pairs.tsv");
    Files.writeString(input, table);
    prepared = work.resolve("prepared");
    CliRunner.Result p = CliRunner.run("prepare", "--input", input.toString(), "--format", "tsv",
        "--in0", "left", "--in1", "right", "--label", "same", "--label-map", "no=0,yes=1",
        "--lowercase", "--out", prepared.toString());
    assertEquals(0, p.exitCode(), p.err());

    model = work.resolve("model");
    CliRunner.Result t = CliRunner.run("train", "--hp", prepared.resolve("hp.json").toString(),
        "--data", prepared.resolve("train.jsonl").toString(), "--aux", prepared.toString(),
        "--model-dir", model.toString(), "--set", "enc_dim=8", "--set",
        "enc0_token_embedding_dim=8", "--set", "mlp_dim=8", "--set", "epochs=1", "--set",
        "mini_batch_size=16");
    assertEquals(0, t.exitCode(), t.err());
  }

  private static String sentence(SplittableRandom rng, int topic) {
    String[] words = TOPICS[topic].split(" ");
    return "The " + words[rng.nextInt(3)] + " and " + words[rng.nextInt(3)] + ".";
  }

  @Test
  void theModelKeepsTheTokenizerDescriptionAndVocabulary() throws IOException {
    ModelManifest manifest = ModelManifest.readFrom(model);
    assertEquals("tokenizer.json", manifest.files().get("tokenizer").name(), manifest.toString());
    assertEquals(Files.readString(prepared.resolve("tokenizer.json")),
        Files.readString(model.resolve("tokenizer.json")));
    assertEquals("vocab.json", manifest.files().get("vocab0").name());
  }

  @Test
  void embeddingTextEqualsEmbeddingItsIds() throws IOException {
    String text = "The CAR and a wheel!";
    CliRunner.Result viaText = CliRunner.run("embed", "--model-dir", model.toString(), "--text",
        text, "--text", "rain", "--side", "in1");
    assertEquals(0, viaText.exitCode(), viaText.err());
    List<JsonNode> lines = jsonLines(viaText.out());
    assertEquals(2, lines.size(), viaText.out());

    Vocabulary vocab = Vocabulary.read(prepared.resolve("vocab.json"), "<unk>");
    String ids = new WordTokenizer(true).tokenize(text).stream()
        .map(t -> Integer.toString(vocab.idOrUnknown(t))).collect(Collectors.joining(","));
    Path data = dir.resolve("ids.jsonl");
    Files.writeString(data, "{\"in1\": [" + ids + "]}\n");
    CliRunner.Result viaIds = CliRunner.run("embed", "--model-dir", model.toString(), "--data",
        data.toString(), "--side", "in1");
    assertEquals(0, viaIds.exitCode(), viaIds.err());
    JsonNode expected = jsonLines(viaIds.out()).get(0).get("embeddings");
    assertEquals(8, expected.size());
    assertArrayEquals(floats(expected), floats(lines.get(0).get("embeddings")), 1e-6f);
  }

  @Test
  void textPairsGetClassProbabilities() throws IOException {
    Path pairs = dir.resolve("pairs.tsv");
    Files.writeString(pairs, "an apple\ta pear\n\nthe sky\ta car on the road\n");
    CliRunner.Result r = CliRunner.run("predict", "--model-dir", model.toString(),
        "--text-pairs", pairs.toString());
    assertEquals(0, r.exitCode(), r.err());
    List<JsonNode> lines = jsonLines(r.out());
    assertEquals(2, lines.size(), r.out());
    for (JsonNode line : lines) {
      float[] p = floats(line.get("scores"));
      assertEquals(2, p.length, line.toString());
      assertEquals(1.0, p[0] + p[1], 1e-5, line.toString());
    }
  }

  @Test
  void textWithoutTokensOrWithOnlyUnknownWordsEmbedsToTheZeroVector() throws IOException {
    CliRunner.Result r = CliRunner.run("embed", "--model-dir", model.toString(), "--text", "   ",
        "--text", "zebra giraffe", "--side", "in1");
    assertEquals(0, r.exitCode(), r.err());
    List<JsonNode> lines = jsonLines(r.out());
    assertEquals(2, lines.size(), r.out());
    for (JsonNode line : lines) {
      assertArrayEquals(new float[8], floats(line.get("embeddings")), 0f, line.toString());
    }
  }

  @Test
  void aTextPairWithAnEmptySideGetsTheScoresOfTheZeroEncoding() throws IOException {
    Path pairs = dir.resolve("blank.tsv");
    Files.writeString(pairs, " \tzebra\nan apple\t\n");
    CliRunner.Result viaText = CliRunner.run("predict", "--model-dir", model.toString(),
        "--text-pairs", pairs.toString());
    assertEquals(0, viaText.exitCode(), viaText.err());

    Vocabulary vocab = Vocabulary.read(prepared.resolve("vocab.json"), "<unk>");
    Path data = dir.resolve("blank.jsonl");
    Files.writeString(data, "{\"in0\": [], \"in1\": []}\n{\"in0\": [" + vocab.idOrUnknown("an")
        + ", " + vocab.idOrUnknown("apple") + "], \"in1\": []}\n");
    CliRunner.Result viaIds = CliRunner.run("predict", "--model-dir", model.toString(),
        "--data", data.toString());
    assertEquals(0, viaIds.exitCode(), viaIds.err());
    List<JsonNode> expected = jsonLines(viaIds.out());
    List<JsonNode> actual = jsonLines(viaText.out());
    assertEquals(2, actual.size(), viaText.out());
    for (int i = 0; i < 2; i++) {
      assertArrayEquals(floats(expected.get(i).get("scores")),
          floats(actual.get(i).get("scores")), 1e-6f, viaText.out());
    }
  }

  @Test
  void aTextPairLineWithoutTwoColumnsIsADataError() throws IOException {
    Path pairs = dir.resolve("bad.tsv");
    Files.writeString(pairs, "an apple\ta pear\njust one\n");
    CliRunner.Result r = CliRunner.run("predict", "--model-dir", model.toString(),
        "--text-pairs", pairs.toString());
    assertEquals(ExitCodes.DATA, r.exitCode(), r.err());
    assertTrue(r.err().contains(pairs + ":2: expected 2 tab-separated texts (in0, in1), found 1"
        + " fields"), r.err());
  }

  @Test
  void textNeedsAModelTrainedOnPreparedData() throws IOException {
    Path bare = dir.resolve("bare");
    CliRunner.Result t = CliRunner.run("train", "--hp", prepared.resolve("hp.json").toString(),
        "--data", prepared.resolve("train.jsonl").toString(), "--model-dir", bare.toString(),
        "--set", "enc_dim=4", "--set", "enc0_token_embedding_dim=4", "--set", "mlp_dim=4",
        "--set", "epochs=1", "--set", "enc0_vocab_file=");
    assertEquals(0, t.exitCode(), t.err());
    CliRunner.Result r = CliRunner.run("embed", "--model-dir", bare.toString(), "--text", "sky");
    assertEquals(ExitCodes.IO, r.exitCode(), r.err());
    assertTrue(r.err().contains("has no tokenizer.json"), r.err());
  }

  private static List<JsonNode> jsonLines(String text) throws IOException {
    List<JsonNode> lines = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (!line.isBlank()) {
        lines.add(JSON.readTree(line));
      }
    }
    return lines;
  }

  private static float[] floats(JsonNode array) {
    float[] out = new float[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) array.get(i).asDouble();
    }
    return out;
  }
}
