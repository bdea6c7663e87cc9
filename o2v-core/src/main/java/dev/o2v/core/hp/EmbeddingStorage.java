package dev.o2v.core.hp;

/** How token-embedding gradients are applied: the whole table, or only the batch's rows. */
public enum EmbeddingStorage {
  DENSE("dense"),
  ROW_SPARSE("row_sparse");

  private final String key;

  EmbeddingStorage(String key) {
    this.key = key;
  }

  /** The value as written in a hyperparameter file. */
  public String key() {
    return key;
  }
}
