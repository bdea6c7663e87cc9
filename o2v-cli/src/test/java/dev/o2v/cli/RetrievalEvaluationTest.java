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
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code evaluate --retrieval} end to end on a task whose answer is known: both encoders are the
 * mean of one shared token table, so a sequence and its copy embed identically and every query
 * must find its copy first among distinct sequences.
 */
@Tag("engine")
class RetrievalEvaluationTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int QUERIES = 150;

  @TempDir static Path work;
  private static Path model;
  /** Distinct id multisets, so no two sequences share a mean embedding. */
  private static List<int[]> sequences;

  @TempDir Path dir;

  @BeforeAll
  static void trainTiedPooledModel() throws Exception {
    sequences = TiedPooledModel.distinctSequences(QUERIES, 17);
    model = TiedPooledModel.train(work, sequences);
  }

  private JsonNode evaluate(String... args) throws Exception {
    Path out = dir.resolve("metrics.json");
    List<String> all = new ArrayList<>(List.of("evaluate", "--model-dir", model.toString(),
        "--retrieval", "--out", out.toString()));
    all.addAll(List.of(args));
    CliRunner.Result result = CliRunner.run(all.toArray(String[]::new));
    assertEquals(0, result.exitCode(), result.err());
    return JSON.readTree(Files.readString(out));
  }

  @Test
  void everyQueryFindsItsCopyFirstInAPairsFile() throws Exception {
    StringBuilder pairs = new StringBuilder();
    for (int[] ids : sequences) {
      pairs.append("{\"in0\":").append(Arrays.toString(ids)).append(",\"in1\":")
          .append(Arrays.toString(ids)).append("}\n");
    }
    // The same pair again: one more query, but no new corpus item.
    pairs.append("{\"in0\":").append(Arrays.toString(sequences.get(0))).append(",\"in1\":")
        .append(Arrays.toString(sequences.get(0))).append("}\n");
    Path file = dir.resolve("pairs.jsonl");
    Files.writeString(file, pairs);

    JsonNode m = evaluate("--data", file.toString(), "--hits-at", "1,5");

    assertEquals(QUERIES + 1, m.get("queries").asInt(), m.toString());
    assertEquals(QUERIES, m.get("corpus").asInt(), "duplicate in1 counted once: " + m);
    assertEquals(1.0, m.get("hits@1").asDouble(), m.toString());
    assertEquals(1.0, m.get("mean_rank").asDouble(), m.toString());
    assertEquals(1.0, m.get("mrr").asDouble(), m.toString());
  }

  @Test
  void queriesFindTheirMatchByPositionInAShuffledCorpus() throws Exception {
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < QUERIES; i++) {
      order.add(i);
    }
    java.util.Collections.shuffle(order, new java.util.Random(4));
    Path corpus = dir.resolve("corpus.jsonl");
    Files.writeString(corpus, order.stream()
        .map(i -> "{\"in1\":" + Arrays.toString(sequences.get(i)) + "}")
        .collect(Collectors.joining("\n", "", "\n")));
    StringBuilder queries = new StringBuilder();
    for (int i = 0; i < QUERIES; i++) {
      queries.append("{\"in0\":").append(Arrays.toString(sequences.get(i)))
          .append(",\"match\":").append(order.indexOf(i)).append("}\n");
    }
    Path queryFile = dir.resolve("queries.jsonl");
    Files.writeString(queryFile, queries);

    JsonNode m = evaluate("--queries", queryFile.toString(), "--corpus", corpus.toString());

    assertEquals(1.0, m.get("hits@1").asDouble(), m.toString());
    // Pointing every query at the wrong item must cost rank: the answer is not a constant.
    StringBuilder wrong = new StringBuilder();
    for (int i = 0; i < QUERIES; i++) {
      wrong.append("{\"in0\":").append(Arrays.toString(sequences.get(i)))
          .append(",\"match\":").append(order.indexOf((i + 1) % QUERIES)).append("}\n");
    }
    Files.writeString(queryFile, wrong);
    JsonNode shifted = evaluate("--queries", queryFile.toString(), "--corpus", corpus.toString());
    assertTrue(shifted.get("hits@1").asDouble() == 0.0 && shifted.get("mean_rank").asDouble() > 2,
        "wrong matches: " + shifted);
  }

  @Test
  void rankingByThePairScoreGivesRanksWithinTheCorpus() throws Exception {
    StringBuilder pairs = new StringBuilder();
    for (int i = 0; i < 40; i++) {
      pairs.append("{\"in0\":").append(Arrays.toString(sequences.get(i))).append(",\"in1\":")
          .append(Arrays.toString(sequences.get(i))).append("}\n");
    }
    Path file = dir.resolve("pairs.jsonl");
    Files.writeString(file, pairs);

    JsonNode m = evaluate("--data", file.toString(), "--rank-by", "score", "--batch-size", "16");

    assertEquals("score", m.get("ranked_by").asText());
    double meanRank = m.get("mean_rank").asDouble();
    assertTrue(meanRank >= 1 && meanRank <= 40, "mean rank " + meanRank);
    assertTrue(m.get("mrr").asDouble() >= 1.0 / 40, m.toString());
  }

  @Test
  void retrievalWithoutAnInputIsAUsageError() {
    CliRunner.Result result = CliRunner.run("evaluate", "--model-dir", model.toString(),
        "--retrieval", "--queries", "q.jsonl");
    assertEquals(ExitCodes.USAGE, result.exitCode(), result.err());
    assertTrue(result.err().contains("--retrieval needs either --data PAIRS or both --queries"),
        result.err());
  }
}
