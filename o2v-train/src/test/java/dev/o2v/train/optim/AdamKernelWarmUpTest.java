package dev.o2v.train.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.o2v.core.hp.HyperparameterCodec;
import dev.o2v.core.hp.Hyperparameters;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The warm-up of Adam's JVM kernels ({@link AdamKernelWarmUp}). */
class AdamKernelWarmUpTest {

  @Test
  void theWarmUpRunsTheKernelsTheWayTrainingWouldWithOrWithoutVectors() throws Exception {
    assertTrue(AdamRowKernel.vectorSpans(), "tests run with the vector module");
    double vectors = AdamKernelWarmUp.run();
    double javaArrays = EngineFixtures.withProperties(
        Map.of(AdamRowKernel.VECTOR_PROPERTY, "false"), AdamKernelWarmUp::run);
    assertEquals(javaArrays, vectors, 0.0, "both paths, the same floats");
    double untouched = 0.5 * AdamKernelWarmUp.TABLE_ROWS;
    assertTrue(Math.abs(vectors - untouched) > 1e-3,
        "the updates moved the scratch weights: " + vectors + " against " + untouched);
    assertEquals(vectors, AdamKernelWarmUp.run(), 0.0, "a second warm-up, the same work");
  }

  @Test
  void theWarmUpStartsOnceAndOnlyForAdamOnLargeTables() {
    int large = (int) (AdamKernelWarmUp.MIN_TABLE_ELEMENTS / 128);
    assertFalse(AdamKernelWarmUp.startFor(hp("adam", large / 2)), "small table");
    assertFalse(AdamKernelWarmUp.startFor(hp("sgd", large)), "not adam");
    assertTrue(AdamKernelWarmUp.startFor(hp("adam", large)), "large adam table");
    assertFalse(AdamKernelWarmUp.startFor(hp("adam", large)), "once per process");
  }

  private static Hyperparameters hp(String optimizer, int vocabulary) {
    Map<String, Object> raw = new HashMap<>();
    raw.put("enc0_vocab_size", vocabulary);
    raw.put("enc0_max_seq_len", 20);
    raw.put("enc0_network", "pooled_embedding");
    raw.put("enc_dim", 128);
    raw.put("tied_token_embedding_weight", true);
    raw.put("token_embedding_storage_type", "row_sparse");
    raw.put("optimizer", optimizer);
    raw.put("mlp_layers", 1);
    raw.put("mlp_dim", 16);
    raw.put("mlp_activation", "relu");
    return HyperparameterCodec.parse(raw);
  }
}
