package dev.o2v.benchmarks;

import dev.o2v.core.hp.Hyperparameters;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One measured configuration: a network shape, the shape of its generated data and how many steps
 * to time.
 *
 * @param name short label used in tables and file names
 * @param network encoder of both sides ({@code pooled_embedding}, {@code hcnn}, {@code bilstm})
 * @param encDim {@code enc_dim}
 * @param tokenDim token embedding width (forced to {@code encDim} for pooled_embedding)
 * @param vocab vocabulary size of each side
 * @param maxLen longest sequence; lengths are uniform in {@code [ceil(maxLen/2), maxLen]}
 * @param batch {@code mini_batch_size}, also the inference batch
 * @param sparse {@code token_embedding_storage_type=row_sparse} instead of dense
 * @param data what records to generate
 * @param overrides hyperparameters that replace the generated ones
 * @param steps timing plan
 */
public record Workload(
    String name,
    String network,
    int encDim,
    int tokenDim,
    int vocab,
    int maxLen,
    int batch,
    boolean sparse,
    DataKind data,
    Map<String, Object> overrides,
    Steps steps) {

  /** The generated records a workload trains on. */
  public enum DataKind {
    /** The topic-pair task of {@code SyntheticPairTask}, lengths in {@code [maxLen/2, maxLen]}. */
    TOPICS,
    /** MovieLens-shaped ratings: one user id, one item id. */
    MOVIELENS,
    /** Document pairs of Zipf-distributed ids ({@link ZipfDocuments}), lengths 10..maxLen. */
    ZIPF_DOCUMENTS
  }

  /** Defensive copy. */
  public Workload {
    overrides = Map.copyOf(overrides);
  }

  /** A topic-pair workload with the same encoder on both sides. */
  public static Workload topics(String name, String network, int encDim, int tokenDim, int vocab,
      int maxLen, int batch, Steps steps) {
    return new Workload(name, network, encDim, tokenDim, vocab, maxLen, batch, false,
        DataKind.TOPICS, Map.of(), steps);
  }

  /**
   * The MovieLens-shaped regression with SageMaker's movie settings ({@link MovieLensSettings}):
   * 943 users and 1,682 items, pooled_embedding on both sides, enc_dim 1024, one tanh MLP layer of
   * 256, batch 64, mean squared error, adam. Side 0's network, vocabulary and length, the width
   * and the batch become the record's fields; the other settings are overrides, except the
   * learning rate: every throughput workload trains at the same one.
   */
  public static Workload movieLens(Steps steps) {
    Map<String, Object> overrides = MovieLensSettings.raw();
    String network = (String) overrides.remove("enc0_network");
    int users = (Integer) overrides.remove("enc0_vocab_size");
    int maxLen = (Integer) overrides.remove("enc0_max_seq_len");
    int encDim = (Integer) overrides.remove("enc_dim");
    int batch = (Integer) overrides.remove("mini_batch_size");
    overrides.remove("learning_rate");
    return new Workload("movielens", network, encDim, encDim, users, maxLen, batch, false,
        DataKind.MOVIELENS, overrides, steps);
  }

  /**
   * AWS's document-embedding job as its real SageMaker training log ran it: pooled_embedding on
   * both sides with one tied table of 267,522 rows, enc_dim 300, row_sparse, batch 512,
   * max_seq_len 50, negative sampling rate 3, comparator hadamard, MLP 2 × 512 relu, dropout 0.4,
   * softmax over 2 classes, Adam 0.01, on Zipf-distributed ids with lengths 10 to 50.
   */
  public static Workload documentEmbedding(Steps steps) {
    Map<String, Object> overrides = new LinkedHashMap<>();
    overrides.put("tied_token_embedding_weight", "true");
    overrides.put("comparator_list", "hadamard");
    overrides.put("mlp_layers", 2);
    overrides.put("mlp_dim", 512);
    overrides.put("mlp_activation", "relu");
    overrides.put("dropout", 0.4);
    overrides.put("negative_sampling_rate", 3);
    overrides.put("learning_rate", 0.01);
    overrides.put("weight_decay", 0);
    return new Workload("doc-embedding", "pooled_embedding", 300, 300, 267_522, 50, 512, true,
        DataKind.ZIPF_DOCUMENTS, overrides, steps);
  }

  /** Whether this is the MovieLens-shaped regression. */
  public boolean movieLens() {
    return data == DataKind.MOVIELENS;
  }

  /**
   * How many steps to run.
   *
   * @param warmup untimed steps first (JIT, allocator, thread pools)
   * @param perRepeat steps in one timed window
   * @param repeats timed windows; the reported value is their median
   * @param warmupSeconds warm-up continues until it has also lasted this long (the JIT compiles
   *     the step's Java code in the background during the first seconds)
   */
  public record Steps(int warmup, int perRepeat, int repeats, double warmupSeconds) {

    /** A plan with no minimum warm-up time. */
    public Steps(int warmup, int perRepeat, int repeats) {
      this(warmup, perRepeat, repeats, 0);
    }

    /** The same plan with a minimum warm-up time. */
    public Steps warmingUpFor(double seconds) {
      return new Steps(warmup, perRepeat, repeats, seconds);
    }


    /** Checks the counts. */
    public Steps {
      if (warmup < 0 || perRepeat < 1 || repeats < 1) {
        throw new IllegalArgumentException(
            String.format(Locale.ROOT, "need warmup >= 0, perRepeat >= 1, repeats >= 1, found "
                + "%d, %d, %d", warmup, perRepeat, repeats));
      }
    }

    /** Steps run, counting the minimum warm-up only. */
    public int total() {
      return warmup + perRepeat * repeats;
    }

    /** Timed steps. */
    public int timed() {
      return perRepeat * repeats;
    }
  }

  /** The token dim the network really has (pooled_embedding uses {@code encDim}). */
  public int effectiveTokenDim() {
    return network.equals("pooled_embedding") ? encDim : tokenDim;
  }

  /** A copy with another name, batch, length, vocabulary or storage. */
  public Workload with(String newName, int newBatch, int newMaxLen, int newVocab,
      boolean newSparse) {
    return new Workload(newName, network, encDim, tokenDim, newVocab, newMaxLen, newBatch,
        newSparse, data, overrides, steps);
  }

  /** A copy with another timing plan. */
  public Workload withSteps(Steps newSteps) {
    return new Workload(name, network, encDim, tokenDim, vocab, maxLen, batch, sparse, data,
        overrides, newSteps);
  }

  /** The raw hyperparameter map (SageMaker spelling) this workload trains with. */
  public Map<String, Object> hyperparameterMap() {
    Map<String, Object> raw = new LinkedHashMap<>();
    raw.put("enc0_network", network);
    raw.put("enc0_vocab_size", vocab);
    raw.put("enc0_max_seq_len", maxLen);
    if (!network.equals("pooled_embedding")) {
      raw.put("enc0_token_embedding_dim", tokenDim); // pooled_embedding forces enc_dim
    }
    raw.put("enc_dim", encDim);
    raw.put("mini_batch_size", batch);
    raw.put("output_layer", "softmax");
    raw.put("num_classes", 2);
    raw.put("optimizer", "adam");
    raw.put("learning_rate", 0.0004);
    raw.put("dropout", 0);
    raw.put("epochs", 1);
    raw.put("token_embedding_storage_type", sparse ? "row_sparse" : "dense");
    if (overrides.containsKey("output_layer")) {
      raw.remove("num_classes");
    }
    raw.putAll(overrides);
    return raw;
  }

  /** The parsed, fully resolved hyperparameters. */
  public Hyperparameters hyperparameters() {
    return Hyperparameters.parse(hyperparameterMap());
  }

  /** Records to generate: enough for every step without repeating an epoch, at most 20,000. */
  public int records() {
    return Math.max(batch, Math.min(20_000, batch * steps.total()));
  }
}
