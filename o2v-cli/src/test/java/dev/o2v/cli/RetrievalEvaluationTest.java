package dev.o2v.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
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
  private static final int VOCAB = 200;
  private static final int QUERIES = 150;

  @TempDir static Path work;
  private static Path model;
  /** Distinct id multisets, so no two sequences share a mean embedding. */
  private static List<int[]> sequences;

  @TempDir Path dir;

  @BeforeAll
  static void trainTiedPooledModel() throws Exception {
    Path hp = work.resolve("hp.json");
    Files.writeString(hp, "{\"enc0_vocab_size\": " + VOCAB + ", \"enc1_vocab_size\": " + VOCAB
        + ", \"enc0_max_seq_len\": 10, \"enc1_max_seq_len\": 10,"
        + " \"enc0_network\": \"pooled_embedding\", \"enc1_network\": \"pooled_embedding\","
        + " \"tied_token_embedding_weight\": \"true\", \"enc0_token_embedding_dim\": 16,"
        + " \"enc1_token_embedding_dim\": 16, \"enc_dim\": 16, \"mlp_dim\": 8,"
        + " \"mlp_layers\": 1, \"output_layer\": \"softmax\", \"num_classes\": 2,"
        + " \"mini_batch_size\": 32, \"epochs\": 1}");
    SplittableRandom rng = new SplittableRandom(17);
    sequences = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    while (sequences.size() < QUERIES) {
      int[] ids = rng.ints(2 + rng.nextInt(8), 0, VOCAB).toArray();
      if (seen.add(Arrays.toString(Arrays.stream(ids).sorted().toArray()))) {
        sequences.add(ids);
      }
    }
    StringBuilder train = new StringBuilder();
    for (int i = 0; i < 64; i++) {
      train.append("{\"label\":").append(i % 2).append(",\"in0\":")
          .append(Arrays.toString(sequences.get(i))).append(",\"in1\":")
          .append(Arrays.toString(sequences.get((i * 7) % QUERIES))).append("}\n");
    }
    Path data = work.resolve("train.jsonl");
    Files.writeString(data, train);
    model = work.resolve("model");
    CliRunner.Result trained = CliRunner.run("train", "--hp", hp.toString(), "--data",
        data.toString(), "--model-dir", model.toString());
    assertEquals(0, trained.exitCode(), trained.err());
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
