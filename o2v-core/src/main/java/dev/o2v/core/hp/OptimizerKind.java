package dev.o2v.core.hp;

/** The optimizers Object2Vec trains with. */
public enum OptimizerKind {
  ADAM("adam"),
  ADAGRAD("adagrad"),
  ADADELTA("adadelta"),
  SGD("sgd"),
  RMSPROP("rmsprop");

  private final String key;

  OptimizerKind(String key) {
    this.key = key;
  }

  /** The value as written in a hyperparameter file. */
  public String key() {
    return key;
  }

  /** Whether lazy row-sparse embedding updates are defined for this optimizer. */
  public boolean supportsRowSparse() {
    return this == ADAM || this == ADAGRAD || this == SGD;
  }
}
