package dev.o2v.train.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import dev.o2v.core.data.DataSchema;
import dev.o2v.core.data.LabelKind;
import dev.o2v.core.data.PairDataset;
import dev.o2v.core.data.SidePolicy;
import dev.o2v.core.data.TokenRecurrence;
import dev.o2v.core.hp.HyperparameterCodec;
import dev.o2v.core.hp.Hyperparameters;
import dev.o2v.encoders.Object2VecBlock;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

class LayerDefaultInitialisationTest {

  private static Hyperparameters hp(String enc0, String enc1, int encDim, String tied) {
    Map<String, Object> raw = new HashMap<>();
    raw.put("enc0_vocab_size", "400");
    raw.put("enc0_max_seq_len", "10");
    raw.put("enc0_network", enc0);
    raw.put("enc1_network", enc1);
    raw.put("enc_dim", Integer.toString(encDim));
    raw.put("tied_token_embedding_weight", tied);
    raw.put("mlp_layers", "1");
    raw.put("mlp_dim", "64");
    raw.put("mlp_activation", "relu");
    raw.put("enc1_vocab_size", "400");
    raw.put("enc1_max_seq_len", "10");
    raw.put("enc0_token_embedding_dim", Integer.toString(encDim));
    raw.put("enc1_token_embedding_dim", Integer.toString(encDim));
    return HyperparameterCodec.parse(raw);
  }

  private static boolean appliesTo(Hyperparameters hp) {
    return LayerDefaultInitialisation.appliesTo(hp, TokenRecurrence.UNKNOWN);
  }

  @Test
  void theTrainingIdsAreCountedOnlyForNetworksWithAnHcnnEncoder() {
    DataSchema schema =
        new DataSchema(400, 10, 400, 10, LabelKind.CLASS, 2, SidePolicy.BOTH_REQUIRED);
    PairDataset train = PairDataset.builder(schema)
        .add(new int[] {1, 2, 2}, new int[] {7}, 0)
        .add(new int[] {2, 3}, new int[] {7, 8, 1}, 1)
        .build();
    TokenRecurrence hcnn =
        LayerDefaultInitialisation.recurrenceFor(hp("bilstm", "hcnn", 64, "false"), train);
    assertEquals(5.0 / 3, hcnn.of(0), 1e-12, "side 0: ids 1, 2, 2, 2, 3");
    assertEquals(4.0 / 3, hcnn.of(1), 1e-12, "side 1: ids 7, 7, 8, 1");
    assertEquals(TokenRecurrence.UNKNOWN, LayerDefaultInitialisation.recurrenceFor(
        hp("bilstm", "pooled_embedding", 64, "false"), train), "no hcnn encoder reads it");
  }

  @Test
  void coversBilstmAndNarrowPooledEncodersWhateverTheData() {
    assertTrue(appliesTo(hp("bilstm", "bilstm", 900, "true")));
    assertTrue(appliesTo(hp("pooled_embedding", "pooled_embedding",
        LayerDefaultInitialisation.WIDE_POOLED - 2, "true")));
    assertFalse(appliesTo(hp("pooled_embedding", "pooled_embedding",
        LayerDefaultInitialisation.WIDE_POOLED, "true")));
    assertFalse(appliesTo(hp("hcnn", "hcnn", 128, "true")));
    assertTrue(appliesTo(hp("hcnn", "pooled_embedding", 128, "false")));
  }

  @Test
  void coversHcnnOnlyOverRareTokens() {
    double rare = LayerDefaultInitialisation.RARE_TOKENS;
    Hyperparameters tied = hp("hcnn", "hcnn", 128, "true");
    assertTrue(LayerDefaultInitialisation.appliesTo(tied, new TokenRecurrence(rare - 1, 1)));
    assertFalse(LayerDefaultInitialisation.appliesTo(tied, new TokenRecurrence(rare, 1)),
        "a tied network reads table 0's recurrence on both sides");
    Hyperparameters untied = hp("hcnn", "hcnn", 128, "false");
    assertTrue(LayerDefaultInitialisation.appliesTo(untied, new TokenRecurrence(rare, 1)));
    assertFalse(LayerDefaultInitialisation.appliesTo(untied, new TokenRecurrence(rare, rare)));
  }

  @Test
  @Tag("engine")
  void narrowPooledTablesAreUnitVarianceAndDenseLayersWithinTheFanInBound() {
    try (NDManager manager = NDManager.newBaseManager()) {
      Object2VecBlock block = TrainedModel.newInitializedBlock(
          hp("pooled_embedding", "pooled_embedding", 128, "true"), manager);
      assertEquals(1.0, std(block.tokenEmbedding(0).table()), 0.05, "narrow table std");
      for (Pair<String, Parameter> p : block.mlp().getParameters()) {
        NDArray values = p.getValue().getArray();
        double bound = 1.0 / Math.sqrt(p.getKey().endsWith("bias") ? 512 : values.getShape()
            .get(1));
        double largest = values.abs().max().getFloat();
        assertTrue(largest <= bound + 1e-6, p.getKey() + " reaches " + largest + " > " + bound);
      }
    }
  }

  @Test
  @Tag("engine")
  void widePooledTablesKeepTheirSmallVectors() {
    int width = LayerDefaultInitialisation.WIDE_POOLED;
    try (NDManager manager = NDManager.newBaseManager()) {
      Object2VecBlock block = TrainedModel.newInitializedBlock(
          hp("pooled_embedding", "pooled_embedding", width, "true"), manager);
      assertEquals(1.0 / Math.sqrt(width), std(block.tokenEmbedding(0).table()), 0.005,
          "wide table std");
    }
  }

  @Test
  @Tag("engine")
  void aTableSharedWithHcnnKeepsItsSmallVectors() {
    try (NDManager manager = NDManager.newBaseManager()) {
      Object2VecBlock block = TrainedModel.newInitializedBlock(
          hp("hcnn", "pooled_embedding", 128, "true"), manager);
      assertTrue(std(block.tokenEmbedding(0).table()) < 0.2, "shared table was redrawn");
    }
  }

  @Test
  @Tag("engine")
  void hcnnOverRareTokensGetsUnitTablesAndDenseLayersWithinTheFanInBound() {
    double rare = LayerDefaultInitialisation.RARE_TOKENS;
    try (NDManager manager = NDManager.newBaseManager()) {
      Object2VecBlock untied = TrainedModel.newInitializedBlock(
          hp("hcnn", "hcnn", 128, "false"), new TokenRecurrence(rare - 1, rare), manager);
      assertEquals(1.0, std(untied.tokenEmbedding(0).table()), 0.05, "rare tokens' table std");
      assertEquals(1.0 / Math.sqrt(128), std(untied.tokenEmbedding(1).table()), 0.01,
          "frequent tokens' table std");
      assertTrue(largestMlpWeightOverBound(untied) <= 1 + 1e-6, "MLP weight beyond ±1/√fan_in");
    }
  }

  @Test
  @Tag("engine")
  void hcnnOverFrequentOrUnknownTokensKeepsTheBlocksOwnDraws() {
    try (NDManager manager = NDManager.newBaseManager()) {
      for (TokenRecurrence recurrence : new TokenRecurrence[] {
          new TokenRecurrence(LayerDefaultInitialisation.RARE_TOKENS, Double.NaN),
          TokenRecurrence.UNKNOWN}) {
        Object2VecBlock block = TrainedModel.newInitializedBlock(
            hp("hcnn", "hcnn", 128, "true"), recurrence, manager);
        assertEquals(1.0 / Math.sqrt(128), std(block.tokenEmbedding(0).table()), 0.01,
            "table std at " + recurrence);
        assertTrue(largestMlpWeightOverBound(block) > 1,
            "He-normal MLP weight within ±1/√fan_in at " + recurrence);
      }
    }
  }

  @Test
  @Tag("engine")
  void aTableSharedByHcnnAndNarrowPooledIsUnitVarianceOverRareTokens() {
    try (NDManager manager = NDManager.newBaseManager()) {
      Object2VecBlock block = TrainedModel.newInitializedBlock(
          hp("hcnn", "pooled_embedding", 128, "true"), new TokenRecurrence(2, Double.NaN),
          manager);
      assertEquals(1.0, std(block.tokenEmbedding(0).table()), 0.05);
    }
  }

  /** The MLP's first weight's largest magnitude over PyTorch's bound ±1/√fan_in. */
  private static double largestMlpWeightOverBound(Object2VecBlock block) {
    NDArray weight = block.mlp().getParameters().get(0).getValue().getArray();
    double bound = 1.0 / Math.sqrt(weight.getShape().get(1));
    return weight.abs().max().getFloat() / bound;
  }

  private static double std(Parameter table) {
    // Row 0 is padding and stays zero; the other rows carry the drawn vectors.
    NDArray rows = table.getArray().get("1:");
    double mean = rows.mean().getFloat();
    return Math.sqrt(rows.sub(mean).square().mean().getFloat());
  }
}
