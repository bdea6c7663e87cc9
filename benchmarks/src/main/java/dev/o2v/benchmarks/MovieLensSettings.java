package dev.o2v.benchmarks;

import dev.o2v.core.synthetic.MovieLensLikeRatings;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * SageMaker's movie-recommendation hyperparameters for the MovieLens-100k shape: 943 users on
 * side 0, 1,682 items on side 1, one id per side, pooled_embedding both sides, enc_dim 1024, one
 * tanh MLP layer of 256, adam 0.001, batch 64, mean squared error.
 */
final class MovieLensSettings {

  private MovieLensSettings() {}

  /**
   * The settings for a generated rating task: {@link #raw()} with the vocabulary sizes of {@code
   * task}'s users and items.
   */
  static Map<String, Object> forTask(MovieLensLikeRatings.Config task) {
    Map<String, Object> raw = raw();
    raw.put("enc0_vocab_size", task.users() + 1);
    raw.put("enc1_vocab_size", task.items() + 1);
    return raw;
  }

  /** The settings as a fresh, modifiable raw map, to which callers add their own keys. */
  static Map<String, Object> raw() {
    Map<String, Object> raw = new LinkedHashMap<>();
    raw.put("enc0_vocab_size", 944);
    raw.put("enc1_vocab_size", 1683);
    raw.put("enc0_max_seq_len", 1);
    raw.put("enc1_max_seq_len", 1);
    raw.put("enc0_network", "pooled_embedding");
    raw.put("enc1_network", "pooled_embedding");
    raw.put("enc_dim", 1024);
    raw.put("mlp_layers", 1);
    raw.put("mlp_dim", 256);
    raw.put("mlp_activation", "tanh");
    raw.put("optimizer", "adam");
    raw.put("learning_rate", 0.001);
    raw.put("mini_batch_size", 64);
    raw.put("output_layer", "mean_squared_error");
    return raw;
  }
}
