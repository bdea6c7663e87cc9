package dev.o2v.core.hp;

import static dev.o2v.core.hp.HyperparameterKey.bool;
import static dev.o2v.core.hp.HyperparameterKey.choice;
import static dev.o2v.core.hp.HyperparameterKey.comparatorList;
import static dev.o2v.core.hp.HyperparameterKey.decimal;
import static dev.o2v.core.hp.HyperparameterKey.fileName;
import static dev.o2v.core.hp.HyperparameterKey.integer;
import static dev.o2v.core.hp.HyperparameterKey.layers;
import static dev.o2v.core.hp.Requirement.CONDITIONAL;
import static dev.o2v.core.hp.Requirement.OPTIONAL;
import static dev.o2v.core.hp.Requirement.REQUIRED;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The declarative table of every Object2Vec hyperparameter key; it drives parsing, validation,
 * the help table and the generated documentation.
 *
 * <p>Order: the two required keys first, then all others alphabetically.
 */
public final class HyperparameterCatalog {

  /** Value of {@code enc1_network} that makes encoder 1 a structural copy of encoder 0. */
  public static final String ENC1_SAME_AS_ENC0 = "enc0";

  private static final List<HyperparameterKey> KEYS =
      List.of(
          integer("enc0_max_seq_len", 1, 5000, null, REQUIRED,
              "Longest enc0 input kept; longer sequences are cut to their first tokens."),
          integer("enc0_vocab_size", 2, 3_000_000, null, REQUIRED,
              "Number of enc0 token ids; valid ids are 0 to vocab size - 1."),
          integer("bucket_width", 0, 100, 0, OPTIONAL,
              "Largest length difference within a mini-batch bucket; 0 turns bucketing off."),
          comparatorList("comparator_list", names(ComparatorOp.values(), ComparatorOp::key),
              "hadamard, concat, abs_diff",
              "Operators joining the two encodings, concatenated in list order."),
          decimal("dropout", "0", "1", "0",
              "Probability of zeroing an activation during training."),
          integer("early_stopping_patience", 1, 5, 3, OPTIONAL,
              "Previous losses each epoch is compared with; more bad epochs in a row stop"
                  + " training."),
          decimal("early_stopping_tolerance", "0.000001", "0.1", "0.01",
              "Smallest drop below the lowest of the previous losses that makes an epoch good."),
          integer("enc_dim", 4, 10000, 4096, OPTIONAL,
              "Width of the vector each encoder produces."),
          integer("enc0_cnn_filter_width", 1, 9, 3, CONDITIONAL,
              "Convolution width of the enc0 hcnn encoder."),
          bool("enc0_freeze_pretrained_embedding", true, CONDITIONAL,
              "Keep the pretrained enc0 token vectors fixed during training."),
          layers("enc0_layers", 4,
              "Stacked layers in the enc0 encoder; auto means hcnn 4, bilstm 1."),
          choice("enc0_network", names(Network.values(), Network::key), "hcnn",
              "Architecture of encoder 0."),
          fileName("enc0_pretrained_embedding_file",
              "Pretrained enc0 token vectors (GloVe text) in the auxiliary directory."),
          integer("enc0_token_embedding_dim", 2, 1000, 300, CONDITIONAL,
              "Width of the enc0 token table; pooled_embedding uses enc_dim, also accepted"
                  + " here above 1000."),
          fileName("enc0_vocab_file",
              "JSON token-to-id map for the enc0 pretrained vectors, in the auxiliary directory."),
          integer("enc1_cnn_filter_width", 1, 9, 3, CONDITIONAL,
              "Convolution width of the enc1 hcnn encoder."),
          bool("enc1_freeze_pretrained_embedding", true, CONDITIONAL,
              "Keep the pretrained enc1 token vectors fixed during training."),
          layers("enc1_layers", 4,
              "Stacked layers in the enc1 encoder; auto means hcnn 4, bilstm 1."),
          integer("enc1_max_seq_len", 1, 5000, null, CONDITIONAL,
              "Longest enc1 input kept; required unless enc1_network is enc0."),
          choice("enc1_network", enc1Networks(), ENC1_SAME_AS_ENC0,
              "Architecture of encoder 1; enc0 copies every enc0 setting (own weights)."),
          fileName("enc1_pretrained_embedding_file",
              "Pretrained enc1 token vectors (GloVe text) in the auxiliary directory."),
          integer("enc1_token_embedding_dim", 2, 1000, 300, CONDITIONAL,
              "Width of the enc1 token table; pooled_embedding uses enc_dim, also accepted"
                  + " here above 1000."),
          fileName("enc1_vocab_file",
              "JSON token-to-id map for the enc1 pretrained vectors, in the auxiliary directory."),
          integer("enc1_vocab_size", 2, 3_000_000, null, CONDITIONAL,
              "Number of enc1 token ids; required unless enc1_network is enc0."),
          integer("epochs", 1, 100, 30, OPTIONAL,
              "Passes over the training data."),
          decimal("learning_rate", "0.000001", "1", "0.0004",
              "Step size of the optimizer."),
          integer("mini_batch_size", 1, 10000, 32, OPTIONAL,
              "Records per optimizer step."),
          choice("mlp_activation", names(MlpActivation.values(), MlpActivation::key), "linear",
              "Activation after each MLP layer; linear is the identity."),
          integer("mlp_dim", 2, 10000, 512, OPTIONAL,
              "Width of each MLP layer."),
          integer("mlp_layers", 0, 10, 2, OPTIONAL,
              "MLP layers between the comparator and the output layer."),
          integer("negative_sampling_rate", 0, 100, 0, OPTIONAL,
              "Negative records made per training record by pairing with a random other in1."),
          integer("num_classes", 2, 30, 2, OPTIONAL,
              "Number of classes for softmax; ignored for mean_squared_error."),
          choice("optimizer", names(OptimizerKind.values(), OptimizerKind::key), "adam",
              "Optimization algorithm."),
          choice("output_layer", names(OutputLayer.values(), OutputLayer::key), "softmax",
              "Classification (softmax) or regression (mean_squared_error) head."),
          bool("tied_token_embedding_weight", false, OPTIONAL,
              "Both encoders share one token embedding table (needs equal vocab and dims)."),
          choice("token_embedding_storage_type",
              names(EmbeddingStorage.values(), EmbeddingStorage::key), "dense",
              "dense updates the whole embedding table; row_sparse only the batch's rows."),
          decimal("weight_decay", "0", "10000", "0",
              "L2 penalty applied by the optimizer."));

  private static final Map<String, HyperparameterKey> BY_NAME = index(KEYS);

  private HyperparameterCatalog() {}

  /** Every key, required keys first, then alphabetical. */
  public static List<HyperparameterKey> keys() {
    return KEYS;
  }

  /** Every key name, in catalog order. */
  public static List<String> names() {
    return KEYS.stream().map(HyperparameterKey::name).toList();
  }

  /** The entry for {@code name}, if it is a known key. */
  public static Optional<HyperparameterKey> find(String name) {
    return Optional.ofNullable(BY_NAME.get(name));
  }

  /** The entry for a key this code knows exists; a wrong name is a programming error. */
  static HyperparameterKey get(String name) {
    HyperparameterKey key = BY_NAME.get(name);
    if (key == null) {
      throw new IllegalStateException("not a catalog key: " + name);
    }
    return key;
  }

  /**
   * The known key closest to {@code name} by edit distance, when it is close enough to be a
   * plausible typo (at most a third of the name's length, and at least 2 edits allowed).
   */
  public static Optional<String> suggest(String name) {
    return nearest(name, names());
  }

  /** The candidate closest to {@code text} when it is a plausible typo of it. */
  static Optional<String> nearest(String text, List<String> candidates) {
    String lower = text.toLowerCase(java.util.Locale.ROOT);
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : candidates) {
      int distance = EditDistance.between(lower, candidate);
      if (distance < bestDistance) {
        best = candidate;
        bestDistance = distance;
      }
    }
    int allowed = Math.max(2, text.length() / 3);
    return bestDistance <= allowed ? Optional.ofNullable(best) : Optional.empty();
  }

  private static <E> List<String> names(E[] values, Function<E, String> key) {
    return Arrays.stream(values).map(key).toList();
  }

  private static List<String> enc1Networks() {
    List<String> all = new ArrayList<>();
    all.add(ENC1_SAME_AS_ENC0);
    all.addAll(names(Network.values(), Network::key));
    return all;
  }

  private static Map<String, HyperparameterKey> index(List<HyperparameterKey> keys) {
    Map<String, HyperparameterKey> map = new LinkedHashMap<>();
    for (HyperparameterKey key : keys) {
      if (map.put(key.name(), key) != null) {
        throw new IllegalStateException("duplicate catalog key " + key.name());
      }
    }
    return Collections.unmodifiableMap(map);
  }
}
