package dev.o2v.core.prepare;

import dev.o2v.core.hp.HyperparameterCodec;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code hp.json} that prepare writes: the values the data fixes (vocab sizes, sequence
 * lengths, vocabulary and pretrained files, tied embeddings, head and classes) plus starting
 * values for the rest that train well on sentence pairs and id pairs of modest size.
 *
 * <p>Text sides get a one-layer bilstm over 128-wide token embeddings (or the pretrained width);
 * id sides get {@code pooled_embedding}. A shared vocabulary means {@code enc1_network=enc0} and
 * {@code tied_token_embedding_weight=true}; otherwise encoder 1 is described in full.
 */
public final class HyperparameterTemplate {

  static final int TEXT_TOKEN_DIM = 128;
  static final int TEXT_ENC_DIM = 128;
  static final int IDS_ENC_DIM = 64;

  private HyperparameterTemplate() {}

  /**
   * The hyperparameter map, checked by the hyperparameter parser.
   *
   * @param side0 the plan of side 0
   * @param side1 the plan of side 1
   * @param shared whether both sides use one vocabulary (and one token table)
   * @param labels the encoded labels
   * @throws dev.o2v.core.hp.HyperparameterException if the values break a rule (e.g. a
   *     vocabulary larger than 3,000,000)
   */
  public static Map<String, Object> build(
      SidePlan side0, SidePlan side1, boolean shared, EncodedLabels labels) {
    boolean anyText = side0.kind() == ColumnKind.TEXT || side1.kind() == ColumnKind.TEXT;
    int encDim = anyText ? TEXT_ENC_DIM : IDS_ENC_DIM;
    Map<String, Object> hp = new LinkedHashMap<>();
    putEncoder(hp, 0, side0, encDim);
    if (shared) {
      hp.put("enc1_network", "enc0");
    } else {
      putEncoder(hp, 1, side1, encDim);
    }
    hp.put("tied_token_embedding_weight", shared);
    hp.put("enc_dim", encDim);
    hp.put("comparator_list", "hadamard, concat, abs_diff");
    hp.put("mlp_layers", 1);
    hp.put("mlp_dim", encDim);
    hp.put("mlp_activation", "relu");
    if (labels.classification()) {
      hp.put("output_layer", "softmax");
      hp.put("num_classes", labels.numClasses());
    } else {
      hp.put("output_layer", "mean_squared_error");
    }
    hp.put("dropout", anyText ? 0.1 : 0.0);
    hp.put("optimizer", "adam");
    hp.put("learning_rate", 0.001);
    hp.put("mini_batch_size", 64);
    hp.put("epochs", 20);
    hp.put("early_stopping_patience", 3);
    hp.put("early_stopping_tolerance", 0.001);
    HyperparameterCodec.parse(hp);
    return hp;
  }

  private static void putEncoder(Map<String, Object> hp, int side, SidePlan plan, int encDim) {
    String p = "enc" + side + "_";
    boolean text = plan.kind() == ColumnKind.TEXT;
    hp.put(p + "network", text ? "bilstm" : "pooled_embedding");
    hp.put(p + "vocab_size", plan.vocabSize());
    hp.put(p + "max_seq_len", plan.maxSeqLen());
    hp.put(p + "token_embedding_dim", text ? plan.pretrainedDim().orElse(TEXT_TOKEN_DIM) : encDim);
    if (text) {
      hp.put(p + "layers", 1);
    }
    plan.vocabFile().ifPresent(f -> hp.put(p + "vocab_file", f));
    plan.pretrainedFile().ifPresent(f -> hp.put(p + "pretrained_embedding_file", f));
  }
}
