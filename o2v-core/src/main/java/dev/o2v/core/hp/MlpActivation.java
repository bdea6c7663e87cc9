package dev.o2v.core.hp;

/** Activation applied after each MLP layer; {@code linear} is the identity. */
public enum MlpActivation {
  TANH("tanh"),
  RELU("relu"),
  LINEAR("linear");

  private final String key;

  MlpActivation(String key) {
    this.key = key;
  }

  /** The value as written in a hyperparameter file. */
  public String key() {
    return key;
  }
}
