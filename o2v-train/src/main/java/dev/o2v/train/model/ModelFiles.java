package dev.o2v.train.model;

/** Roles and file names inside a model directory. */
public final class ModelFiles {

  /** Canonical hyperparameters (SageMaker string form, sorted keys). */
  public static final String HYPERPARAMETERS = "hyperparameters";
  /** The network's weights. */
  public static final String PARAMETERS = "parameters";
  /** The training history and final metrics. */
  public static final String METRICS = "metrics";
  /** Prefix of the vocabulary-file roles: {@code vocab0}, {@code vocab1}. */
  public static final String VOCAB_PREFIX = "vocab";
  /** The tokenizer description written by {@code o2v prepare}, when the aux dir had one. */
  public static final String TOKENIZER = "tokenizer";

  /** The file of the {@link #HYPERPARAMETERS} role. */
  public static final String HYPERPARAMETERS_FILE = "hyperparameters.json";
  /** The file of the {@link #METRICS} role. */
  public static final String METRICS_FILE = "metrics.json";
  /**
   * The training report. It lives beside the manifest, not in it: it describes the model without
   * being part of it, and can be written again at any time without touching the checksummed files.
   */
  public static final String REPORT_FILE = "report.html";

  private ModelFiles() {}
}
