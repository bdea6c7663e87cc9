package dev.o2v.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * A model whose two encoders are the same function, the mean of one shared token table, so a
 * sequence and its copy embed identically whatever the training did; and sequences with pairwise
 * distinct id multisets, so no two of them share a mean embedding.
 */
final class TiedPooledModel {

  static final int VOCAB = 200;

  private TiedPooledModel() {}

  /** {@code count} sequences of 2..9 ids with distinct multisets. */
  static List<int[]> distinctSequences(int count, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    List<int[]> out = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    while (out.size() < count) {
      int[] ids = rng.ints(2 + rng.nextInt(8), 0, VOCAB).toArray();
      if (seen.add(Arrays.toString(Arrays.stream(ids).sorted().toArray()))) {
        out.add(ids);
      }
    }
    return out;
  }

  /** Trains one epoch on pairs of {@code sequences} into {@code dir/model}. */
  static Path train(Path dir, List<int[]> sequences) throws Exception {
    Path hp = dir.resolve("hp.json");
    Files.writeString(hp, "{\"enc0_vocab_size\": " + VOCAB + ", \"enc1_vocab_size\": " + VOCAB
        + ", \"enc0_max_seq_len\": 10, \"enc1_max_seq_len\": 10,"
        + " \"enc0_network\": \"pooled_embedding\", \"enc1_network\": \"pooled_embedding\","
        + " \"tied_token_embedding_weight\": \"true\", \"enc0_token_embedding_dim\": 16,"
        + " \"enc1_token_embedding_dim\": 16, \"enc_dim\": 16, \"mlp_dim\": 8,"
        + " \"mlp_layers\": 1, \"output_layer\": \"softmax\", \"num_classes\": 2,"
        + " \"mini_batch_size\": 32, \"epochs\": 1}");
    StringBuilder train = new StringBuilder();
    for (int i = 0; i < 64; i++) {
      train.append("{\"label\":").append(i % 2).append(",\"in0\":")
          .append(Arrays.toString(sequences.get(i % sequences.size()))).append(",\"in1\":")
          .append(Arrays.toString(sequences.get((i * 7) % sequences.size()))).append("}\n");
    }
    Path data = dir.resolve("train.jsonl");
    Files.writeString(data, train);
    Path model = dir.resolve("model");
    CliRunner.Result trained = CliRunner.run("train", "--hp", hp.toString(), "--data",
        data.toString(), "--model-dir", model.toString());
    assertEquals(0, trained.exitCode(), trained.err());
    return model;
  }
}
