package dev.o2v.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code neighbors} over embedded records and over a saved embedding file. Item {@code copy-i}
 * repeats the sequence of item {@code item-i}; with tied mean encoders the copy embeds exactly
 * like the original, so it must be the first neighbour, with cosine 1.
 */
@Tag("engine")
class ItemNeighborsTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int ITEMS = 60;

  @TempDir static Path work;
  private static Path model;
  private static Path records;

  @TempDir Path dir;

  @BeforeAll
  static void trainAndWriteRecords() throws Exception {
    List<int[]> sequences = TiedPooledModel.distinctSequences(ITEMS, 29);
    model = TiedPooledModel.train(work, sequences);
    StringBuilder lines = new StringBuilder();
    for (int i = 0; i < ITEMS; i++) {
      lines.append("{\"id\":\"item-").append(i).append("\",\"in1\":")
          .append(Arrays.toString(sequences.get(i))).append("}\n");
    }
    for (int i = 0; i < ITEMS; i += 10) {
      lines.append("{\"id\":\"copy-").append(i).append("\",\"in1\":")
          .append(Arrays.toString(sequences.get(i))).append("}\n");
    }
    records = work.resolve("items.jsonl");
    Files.writeString(records, lines);
  }

  private static List<JsonNode> run(String... args) throws Exception {
    CliRunner.Result result = CliRunner.run(args);
    assertEquals(0, result.exitCode(), result.err());
    List<JsonNode> out = new ArrayList<>();
    for (String line : result.out().split("\n")) {
      if (!line.isBlank()) {
        out.add(JSON.readTree(line));
      }
    }
    return out;
  }

  @Test
  void aRecordsCopyIsItsNearestNeighbour() throws Exception {
    List<JsonNode> answers = run("neighbors", "--model-dir", model.toString(), "--data",
        records.toString(), "--side", "in1", "--query-ids", "item-0,item-30", "-k", "3");

    assertEquals(2, answers.size());
    for (JsonNode answer : answers) {
      String query = answer.get("query").asText();
      JsonNode first = answer.get("neighbors").get(0);
      assertEquals(query.replace("item", "copy"), first.get("id").asText(), answer.toString());
      assertEquals(1.0, first.get("cosine").asDouble(), 1e-5, answer.toString());
      assertEquals(3, answer.get("neighbors").size(), answer.toString());
    }
  }

  @Test
  void aSavedEmbeddingFileIsSearchedExactlyAndThroughAReusedIndexAlike() throws Exception {
    Path npy = dir.resolve("items.npy");
    CliRunner.Result embedded = CliRunner.run("embed", "--model-dir", model.toString(),
        "--data", records.toString(), "--side", "in1", "--format", "npy", "--out",
        npy.toString());
    assertEquals(0, embedded.exitCode(), embedded.err());
    Path ids = dir.resolve("items.ids");
    List<String> names = new ArrayList<>();
    for (String line : Files.readAllLines(records)) {
      names.add(JSON.readTree(line).get("id").asText());
    }
    Files.write(ids, names);

    List<JsonNode> exact = run("neighbors", "--embeddings", npy.toString(), "--ids",
        ids.toString(), "--all", "-k", "5", "--index", "exact");
    List<JsonNode> indexed = run("neighbors", "--embeddings", npy.toString(), "--ids",
        ids.toString(), "--all", "-k", "5", "--index", "hnsw");
    Path indexDir = dir.resolve("items.npy.hnsw");
    assertTrue(Files.isRegularFile(indexDir.resolve("o2v-index.json")), "index kept beside");
    long builtAt = Files.getLastModifiedTime(indexDir.resolve("o2v-index.json")).toMillis();
    List<JsonNode> reused = run("neighbors", "--embeddings", npy.toString(), "--ids",
        ids.toString(), "--all", "-k", "5", "--index", "hnsw");

    assertEquals(names.size(), exact.size());
    assertEquals("copy-10", exact.get(10).get("neighbors").get(0).get("id").asText());
    int agree = 0;
    for (int q = 0; q < exact.size(); q++) {
      List<String> truth = new ArrayList<>();
      exact.get(q).get("neighbors").forEach(n -> truth.add(n.get("id").asText()));
      for (JsonNode n : indexed.get(q).get("neighbors")) {
        agree += truth.contains(n.get("id").asText()) ? 1 : 0;
      }
    }
    double recall = agree / (5.0 * exact.size());
    assertTrue(recall >= 0.95, "recall@5 of the index on " + exact.size() + " items: " + recall);
    assertEquals(indexed, reused, "answers of the reopened index");
    assertEquals(builtAt,
        Files.getLastModifiedTime(indexDir.resolve("o2v-index.json")).toMillis(),
        "the second run reused the index instead of rebuilding it");
  }

  @Test
  void anUnknownItemIdIsAUsageErrorNamingIt() {
    CliRunner.Result result = CliRunner.run("neighbors", "--model-dir", model.toString(),
        "--data", records.toString(), "--side", "in1", "--query-ids", "item-999");
    assertEquals(ExitCodes.USAGE, result.exitCode(), result.err());
    assertTrue(result.err().contains("no item has the id 'item-999'"), result.err());
  }
}
