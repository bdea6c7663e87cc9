package dev.o2v.core.hp;

/** The encoder architectures Object2Vec offers for one side of a pair. */
public enum Network {
  HCNN("hcnn"),
  BILSTM("bilstm"),
  POOLED_EMBEDDING("pooled_embedding");

  private final String key;

  Network(String key) {
    this.key = key;
  }

  /** The value as written in a hyperparameter file. */
  public String key() {
    return key;
  }
}
