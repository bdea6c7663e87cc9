package dev.o2v.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.o2v.train.model.TrainedModel;
import dev.o2v.train.runtime.NoGradScope;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("engine")
class InferenceCommandsTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int VOCAB0 = 30;
  private static final int VOCAB1 = 20;
  private static final int ENC_DIM = 6;

  @TempDir static Path work;
  private static Path model;
  /** A pair, an in0-only line, a blank line, an in1-only line, another pair. */
  private static Path mixed;

  @TempDir Path dir;

  @BeforeAll
  static void trainTinyModel() throws Exception {
    Path hp = work.resolve("hp.json");
    Files.writeString(hp, "{\"enc0_vocab_size\": " + VOCAB0 + ", \"enc1_vocab_size\": " + VOCAB1
        + ", \"enc0_max_seq_len\": 8, \"enc1_max_seq_len\": 8, \"enc0_network\": \"bilstm\","
        + " \"enc1_network\": \"pooled_embedding\", \"enc0_token_embedding_dim\": 6,"
        + " \"enc1_token_embedding_dim\": 6, \"enc_dim\": " + ENC_DIM + ", \"mlp_dim\": 6,"
        + " \"mlp_layers\": 1, \"output_layer\": \"softmax\", \"num_classes\": 3,"
        + " \"mini_batch_size\": 32, \"epochs\": 1}");
    SplittableRandom rng = new SplittableRandom(3);
    StringBuilder train = new StringBuilder();
    for (int i = 0; i < 64; i++) {
      train.append("{\"label\":").append(rng.nextInt(3)).append(",\"in0\":")
          .append(ids(rng, VOCAB0, 9)).append(",\"in1\":").append(ids(rng, VOCAB1, 9))
          .append("}\n");
    }
    Path data = work.resolve("train.jsonl");
    Files.writeString(data, train);
    model = work.resolve("model");
    CliRunner.Result trained = CliRunner.run("train", "--hp", hp.toString(), "--data",
        data.toString(), "--model-dir", model.toString());
    assertEquals(0, trained.exitCode(), trained.err());
    mixed = work.resolve("mixed.jsonl");
    Files.writeString(mixed, "{\"label\":2,\"in0\":[1,2,3],\"in1\":[4,5]}\n"
        + "{\"in0\":[7,8,9,10]}\n"
        + "\n"
        + "{\"in1\":[3,3,19],\"extra\":\"ignored\"}\n"
        + "{\"in1\":[0],\"in0\":[29]}\n");
  }

  @Test
  void predictAnswersEachLineInItsOwnMode() throws Exception {
    CliRunner.Result result = predict(mixed.toString());
    assertEquals(0, result.exitCode(), result.err());
    List<JsonNode> lines = jsonLines(result.out());
    assertEquals(4, lines.size(), result.out());
    String[] keys = {"scores", "embeddings", "embeddings", "scores"};
    int[] widths = {3, ENC_DIM, ENC_DIM, 3};
    for (int i = 0; i < 4; i++) {
      assertTrue(lines.get(i).has(keys[i]), "line " + i + ": " + lines.get(i));
      assertEquals(1, lines.get(i).size(), "only one field: " + lines.get(i));
      assertEquals(widths[i], lines.get(i).get(keys[i]).size(), "line " + i);
    }
    for (JsonNode pair : List.of(lines.get(0), lines.get(3))) {
      double sum = 0;
      for (JsonNode p : pair.get("scores")) {
        sum += p.asDouble();
      }
      assertEquals(1.0, sum, 1e-5, pair.toString());
    }
  }

  @Test
  void emptyAndAllZeroSidesAreAnsweredWithTheZeroEncoding() throws Exception {
    Path lines = dir.resolve("zeros.jsonl");
    Files.writeString(lines, "{\"in0\": []}\n{\"in1\": [0, 0, 0]}\n"
        + "{\"in0\": [0], \"in1\": []}\n{\"in0\": [3, 0, 4]}\n{\"in0\": [3, 4]}\n");
    CliRunner.Result result = predict(lines.toString());
    assertEquals(0, result.exitCode(), result.err());
    List<JsonNode> answers = jsonLines(result.out());
    assertEquals(5, answers.size(), result.out());
    for (int i = 0; i < 2; i++) {
      assertArrayEquals(new float[ENC_DIM], floats(answers.get(i).get("embeddings")), 0f,
          "line " + (i + 1) + ": " + answers.get(i));
    }
    assertEquals(3, answers.get(2).get("scores").size(), answers.get(2).toString());
    assertArrayEquals(floats(answers.get(4).get("embeddings")),
        floats(answers.get(3).get("embeddings")), 1e-5f, "[3, 0, 4] embeds as [3, 4]");
    Path in0 = dir.resolve("in0-zeros.jsonl");
    Files.writeString(in0, "{\"in0\": [0, 0]}\n{\"in0\": [3, 4]}\n");
    CliRunner.Result embedded = embed(in0, "--side", "in0", "--format", "tsv");
    assertEquals(0, embedded.exitCode(), embedded.err());
    String firstRow = embedded.out().lines().findFirst().orElse("");
    for (String value : firstRow.split("\t")) {
      assertEquals(0f, Float.parseFloat(value), 0f, "in0 [0, 0] embeds to zeros: " + firstRow);
    }
  }

  @Test
  void predictedEmbeddingsEqualTheBlocksEmbed() throws Exception {
    List<JsonNode> lines = jsonLines(predict(mixed.toString()).out());
    float[] viaCli = floats(lines.get(1).get("embeddings"));
    float[] direct;
    try (TrainedModel loaded = TrainedModel.load(model, Device.cpu());
        NoGradScope noGrad = NoGradScope.enter();
        NDManager manager = loaded.manager().newSubManager()) {
      direct = loaded.block().embed(new ParameterStore(manager, false),
          manager.create(new int[] {7, 8, 9, 10}, new Shape(1, 4)),
          manager.create(new int[] {4}), 0).toFloatArray();
    }
    assertArrayEquals(direct, viaCli, 1e-6f);
  }

  @Test
  void jsonAcceptWritesOneDocumentWithTheSamePredictions() throws Exception {
    List<JsonNode> lines = jsonLines(predict(mixed.toString()).out());
    CliRunner.Result doc = predict(mixed.toString(), "--accept", "application/json");
    assertEquals(0, doc.exitCode(), doc.err());
    List<JsonNode> predictions = new ArrayList<>();
    JSON.readTree(doc.out()).get("predictions").forEach(predictions::add);
    assertEquals(lines, predictions);
  }

  @Test
  void embedUsesTheRequestedSideOfPairs() throws Exception {
    Path pairs = dir.resolve("pairs.jsonl");
    Files.writeString(pairs, "{\"in0\":[1,2,3],\"in1\":[4,5]}\n");
    Path in1Only = dir.resolve("in1.jsonl");
    Files.writeString(in1Only, "{\"in1\":[4,5]}\n");
    Path in0Only = dir.resolve("in0.jsonl");
    Files.writeString(in0Only, "{\"in0\":[1,2,3]}\n");
    JsonNode side1 = jsonLines(embed(pairs, "--side", "in1").out()).get(0);
    JsonNode byDefault = jsonLines(embed(pairs).out()).get(0);
    assertEquals(jsonLines(predict(in1Only.toString()).out()).get(0), side1);
    assertEquals(jsonLines(predict(in0Only.toString()).out()).get(0), byDefault,
        "a pair embeds in0 without --side");
  }

  @Test
  void embedWritesTsvRows() throws Exception {
    List<JsonNode> jsonl = jsonLines(embed(mixed).out());
    CliRunner.Result tsv = embed(mixed, "--format", "tsv");
    assertEquals(0, tsv.exitCode(), tsv.err());
    List<String> rows = tsv.out().lines().toList();
    assertEquals(jsonl.size(), rows.size());
    for (int i = 0; i < rows.size(); i++) {
      String[] cells = rows.get(i).split("\t");
      assertEquals(ENC_DIM, cells.length, rows.get(i));
      float[] values = new float[cells.length];
      for (int c = 0; c < cells.length; c++) {
        values[c] = Float.parseFloat(cells[c]);
      }
      assertArrayEquals(floats(jsonl.get(i).get("embeddings")), values, 0f, "row " + i);
    }
  }

  @Test
  void embedWritesAnNpyArrayReadableByItsHeader() throws Exception {
    List<JsonNode> jsonl = jsonLines(embed(mixed).out());
    Path npy = dir.resolve("e.npy");
    CliRunner.Result result = embed(mixed, "--format", "npy", "--out", npy.toString());
    assertEquals(0, result.exitCode(), result.err());
    assertEquals("", result.out(), "nothing on stdout with --out");
    ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(npy)).order(ByteOrder.LITTLE_ENDIAN);
    assertEquals((byte) 0x93, bytes.get(0));
    assertEquals("NUMPY", new String(bytes.array(), 1, 5, StandardCharsets.US_ASCII));
    assertEquals(1, bytes.get(6), "major version");
    int headerLength = Short.toUnsignedInt(bytes.getShort(8));
    String header = new String(bytes.array(), 10, headerLength, StandardCharsets.US_ASCII);
    assertTrue(header.contains("'descr': '<f4'"), header);
    assertTrue(header.contains("'fortran_order': False"), header);
    assertTrue(header.contains("'shape': (4, " + ENC_DIM + ")"), header);
    bytes.position(10 + headerLength);
    assertEquals(4 * ENC_DIM * 4, bytes.remaining(), "data bytes");
    for (JsonNode line : jsonl) {
      for (float expected : floats(line.get("embeddings"))) {
        assertEquals(expected, bytes.getFloat(), 0f);
      }
    }
  }

  @Test
  void npyWithoutAnOutputFileIsAUsageError() {
    CliRunner.Result result = embed(mixed, "--format", "npy");
    assertEquals(ExitCodes.USAGE, result.exitCode(), result.err());
  }

  @Test
  void aBadLineExitsWithDataErrorAndLeavesNoOutputFile() throws Exception {
    Path bad = dir.resolve("bad.jsonl");
    Files.writeString(bad, "{\"in0\":[1]}\n{\"in0\":[2]}\n{\"in0\":[" + VOCAB0 + "]}\n");
    Path outDir = Files.createDirectory(dir.resolve("out"));
    CliRunner.Result result =
        predict(bad.toString(), "--out", outDir.resolve("p.jsonl").toString());
    assertEquals(ExitCodes.DATA, result.exitCode(), result.err());
    assertTrue(result.err().contains(bad + ":3: "), result.err());
    try (Stream<Path> left = Files.list(outDir)) {
      assertEquals(List.of(), left.toList());
    }
  }

  @Test
  void outFileHoldsWhatStdoutWouldAndStdoutStaysEmpty() throws Exception {
    Path out = dir.resolve("p.jsonl");
    CliRunner.Result result = predict(mixed.toString(), "--out", out.toString(), "--workers", "2",
        "--batch-size", "1");
    assertEquals(0, result.exitCode(), result.err());
    assertEquals("", result.out());
    String stdout = predict(mixed.toString(), "--workers", "2", "--batch-size", "1").out();
    assertEquals(stdout, Files.readString(out));
  }

  @Test
  void inferMaxSeqlensCutsTheSequences() throws Exception {
    Path longer = dir.resolve("long.jsonl");
    Files.writeString(longer, "{\"in0\":[7,8,9,10]}\n{\"in0\":[7,8]}\n");
    List<JsonNode> cut = jsonLines(predict(longer.toString(), "--infer-max-seqlens", "2,5").out());
    List<JsonNode> full = jsonLines(predict(longer.toString()).out());
    assertEquals(cut.get(1), cut.get(0), "4 ids cut to 2 equal the 2-id line");
    assertNotEquals(full.get(0), cut.get(0), "the cut must change the 4-id embedding");
    CliRunner.Result outOfRange = predict(longer.toString(), "--infer-max-seqlens", "0,5");
    assertEquals(ExitCodes.USAGE, outOfRange.exitCode(), outOfRange.err());
  }

  @Test
  void aDirectoryIsReadFileByFileInNameOrder() throws Exception {
    Path input = Files.createDirectory(dir.resolve("in"));
    Files.writeString(input.resolve("b.jsonl"), "{\"in0\":[2]}\n");
    Files.writeString(input.resolve("a.jsonl"), "{\"in0\":[1]}\n");
    Path one = dir.resolve("one.jsonl");
    Files.writeString(one, "{\"in0\":[1]}\n{\"in0\":[2]}\n");
    assertEquals(predict(one.toString()).out(), predict(input.toString()).out());
  }

  @Test
  void neighborsAreSortedAndExcludeTheQuery() throws Exception {
    CliRunner.Result result = CliRunner.run("neighbors", "--model-dir", model.toString(),
        "--side", "in1", "--query-ids", "5,17", "-k", "4");
    assertEquals(0, result.exitCode(), result.err());
    List<JsonNode> lines = jsonLines(result.out());
    assertEquals(2, lines.size(), result.out());
    int[] queries = {5, 17};
    for (int q = 0; q < 2; q++) {
      JsonNode line = lines.get(q);
      assertEquals(queries[q], line.get("query").asInt());
      JsonNode neighbors = line.get("neighbors");
      assertEquals(4, neighbors.size(), line.toString());
      double previous = Double.POSITIVE_INFINITY;
      for (JsonNode n : neighbors) {
        assertNotEquals(queries[q], n.get("id").asInt(), line.toString());
        double cosine = n.get("cosine").asDouble();
        assertTrue(cosine <= previous && cosine <= 1.0001 && cosine >= -1.0001, line.toString());
        previous = cosine;
      }
    }
    CliRunner.Result bad = CliRunner.run("neighbors", "--model-dir", model.toString(),
        "--side", "in1", "--query-ids", String.valueOf(VOCAB1));
    assertEquals(ExitCodes.USAGE, bad.exitCode(), bad.err());
    assertFalse(bad.err().isBlank());
  }

  private static CliRunner.Result predict(String data, String... extra) {
    List<String> args = new ArrayList<>(
        List.of("predict", "--model-dir", model.toString(), "--data", data));
    args.addAll(List.of(extra));
    return CliRunner.run(args.toArray(String[]::new));
  }

  private static CliRunner.Result embed(Path data, String... extra) {
    List<String> args = new ArrayList<>(
        List.of("embed", "--model-dir", model.toString(), "--data", data.toString()));
    args.addAll(List.of(extra));
    return CliRunner.run(args.toArray(String[]::new));
  }

  private static List<JsonNode> jsonLines(String text) throws Exception {
    List<JsonNode> nodes = new ArrayList<>();
    for (String line : text.lines().toList()) {
      nodes.add(JSON.readTree(line));
    }
    return nodes;
  }

  private static float[] floats(JsonNode array) {
    float[] values = new float[array.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = Float.parseFloat(array.get(i).asText());
    }
    return values;
  }

  private static String ids(SplittableRandom rng, int vocab, int maxLength) {
    StringBuilder out = new StringBuilder("[");
    int n = 1 + rng.nextInt(maxLength);
    for (int i = 0; i < n; i++) {
      out.append(i > 0 ? "," : "").append(rng.nextInt(vocab));
    }
    return out.append(']').toString();
  }
}
