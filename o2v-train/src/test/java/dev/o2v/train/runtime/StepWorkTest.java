package dev.o2v.train.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.o2v.core.hp.Hyperparameters;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StepWorkTest {

  private static Hyperparameters hp(String network, Object... more) {
    Map<String, Object> raw = new HashMap<>();
    raw.put("enc0_network", network);
    raw.put("enc0_vocab_size", 1000);
    raw.put("enc0_max_seq_len", 20);
    raw.put("enc_dim", 64);
    raw.put("mini_batch_size", 64);
    raw.put("mlp_dim", 512);
    raw.put("mlp_layers", 1);
    raw.put("output_layer", "softmax");
    raw.put("num_classes", 2);
    if (!network.equals("pooled_embedding")) {
      raw.put("enc0_token_embedding_dim", 64);
    }
    for (int i = 0; i < more.length; i += 2) {
      raw.put((String) more[i], more[i + 1]);
    }
    return Hyperparameters.parse(raw);
  }

  @Test
  void hcnnCountsEachLayersWindowProductAndTheMlp() {
    // 64 records x 20 positions; layer 0: 3 x 64 inputs -> 16 channels; the MLP's first layer
    // takes the default comparators' 4 x 64 = 256 values to 512.
    StepWork work = StepWork.of(hp("hcnn"));
    assertEquals(Math.max(64L * 20 * 3 * 64 * 16, 64L * 256 * 512), work.largestProduct());
    assertEquals(64L * 20 * 64, work.largestActivation());
  }

  @Test
  void wideHcnnLayersOutweighTheMlp() {
    StepWork work = StepWork.of(hp("hcnn", "enc_dim", 512, "enc0_token_embedding_dim", 128,
        "enc0_max_seq_len", 40));
    // Layers of 128 channels; the widest product is 2,560 positions x 3 x 128 inputs -> 128.
    assertEquals(64L * 40 * 3 * 128 * 128, work.largestProduct());
  }

  @Test
  void bilstmCountsTheInputProjectionOfEveryGate() {
    StepWork work = StepWork.of(hp("bilstm", "enc_dim", 1024, "mlp_dim", 16));
    // 512 states a direction, four gates: 1,280 positions x 64 inputs -> 2,048.
    assertEquals(64L * 20 * 64 * 4 * 512, work.largestProduct());
    assertEquals(64L * 20 * 4 * 512, work.largestActivation());
  }

  @Test
  void pooledEmbeddingCostsItsTokenVectorsAndItsMlp() {
    StepWork work = StepWork.of(hp("pooled_embedding", "enc_dim", 300, "enc0_max_seq_len", 50,
        "mini_batch_size", 512, "comparator_list", "hadamard"));
    assertEquals(512L * 300 * 512, work.largestProduct());
    assertEquals(512L * 50 * 300, work.largestActivation());
  }

  @Test
  void everyMlpLayerCounts() {
    StepWork work = StepWork.of(hp("pooled_embedding", "mlp_layers", 2, "mlp_dim", 1024));
    assertEquals(64L * 1024 * 1024, work.largestProduct());
  }

  @Test
  void theSecondSideCountsWhenItIsLarger() {
    StepWork one = StepWork.of(hp("pooled_embedding"));
    StepWork two = StepWork.of(hp("pooled_embedding", "enc1_network", "hcnn",
        "enc1_vocab_size", 1000, "enc1_max_seq_len", 200, "enc1_token_embedding_dim", 256));
    assertEquals(64L * 20 * 64, one.largestActivation());
    assertEquals(64L * 200 * 256, two.largestActivation());
    assertEquals(64L * 200 * 3 * 256 * 16, two.largestProduct());
  }

  @Test
  void anInferenceBatchSizeReplacesTheTrainingOne() {
    Hyperparameters hp = hp("pooled_embedding");
    assertEquals(StepWork.of(hp).largestActivation() * 4,
        StepWork.of(hp, 256).largestActivation());
  }
}
