package dev.o2v.core.hp;

/** The head of the network: classification or regression. */
public enum OutputLayer {
  /** {@code num_classes} probabilities, cross-entropy loss. */
  SOFTMAX("softmax"),
  /** One real value, mean squared error loss. */
  MEAN_SQUARED_ERROR("mean_squared_error");

  private final String key;

  OutputLayer(String key) {
    this.key = key;
  }

  /** The value as written in a hyperparameter file. */
  public String key() {
    return key;
  }
}
