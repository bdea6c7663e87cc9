package dev.o2v.train.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
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

  @Test
  void coversBilstmAndNarrowPooledEncodersOnly() {
    assertTrue(LayerDefaultInitialisation.appliesTo(hp("bilstm", "bilstm", 900, "true")));
    assertTrue(LayerDefaultInitialisation.appliesTo(hp("pooled_embedding", "pooled_embedding",
        LayerDefaultInitialisation.WIDE_POOLED - 2, "true")));
    assertFalse(LayerDefaultInitialisation.appliesTo(hp("pooled_embedding", "pooled_embedding",
        LayerDefaultInitialisation.WIDE_POOLED, "true")));
    assertFalse(LayerDefaultInitialisation.appliesTo(hp("hcnn", "hcnn", 128, "true")));
    assertTrue(LayerDefaultInitialisation.appliesTo(hp("hcnn", "pooled_embedding", 128, "false")));
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

  private static double std(Parameter table) {
    // Row 0 is padding and stays zero; the other rows carry the drawn vectors.
    NDArray rows = table.getArray().get("1:");
    double mean = rows.mean().getFloat();
    return Math.sqrt(rows.sub(mean).square().mean().getFloat());
  }
}
