package dev.o2v.api;

import java.util.Locale;
import java.util.OptionalInt;

/**
 * How {@link Object2VecModel#open(java.nio.file.Path, ModelOptions)} opens a model. Immutable;
 * each {@code with} method returns a changed copy.
 *
 * <pre>{@code
 * ModelOptions options = ModelOptions.defaults().withThreads(1).withMaxBatchRows(256);
 * }</pre>
 */
public final class ModelOptions {

  /** Rows of one forward pass unless {@link #withMaxBatchRows} says otherwise. */
  public static final int DEFAULT_MAX_BATCH_ROWS = 256;

  private static final ModelOptions DEFAULTS =
      new ModelOptions(ComputeDevice.CPU, OptionalInt.empty(), DEFAULT_MAX_BATCH_ROWS);

  private final ComputeDevice device;
  private final OptionalInt threads;
  private final int maxBatchRows;

  private ModelOptions(ComputeDevice device, OptionalInt threads, int maxBatchRows) {
    this.device = device;
    this.threads = threads;
    this.maxBatchRows = maxBatchRows;
  }

  /**
   * The CPU, libtorch's own thread count (one per core), {@link #DEFAULT_MAX_BATCH_ROWS}.
   *
   * @return the default options
   */
  public static ModelOptions defaults() {
    return DEFAULTS;
  }

  /**
   * Runs on {@code device}.
   *
   * @param device the device
   * @return changed options
   */
  public ModelOptions withDevice(ComputeDevice device) {
    if (device == null) {
      throw new IllegalArgumentException("device must not be null");
    }
    return new ModelOptions(device, threads, maxBatchRows);
  }

  /**
   * Sets how many threads libtorch uses within one operation. The count belongs to the whole
   * process, not to one model: opening a model with this option changes it for every model of
   * the JVM. Calls from several threads already run side by side, so a JVM that calls a model
   * from many threads at once is usually fastest with 1.
   *
   * @param threads at least 1
   * @return changed options
   */
  public ModelOptions withThreads(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException(
          String.format(Locale.ROOT, "threads must be >= 1, found %d", threads));
    }
    return new ModelOptions(device, OptionalInt.of(threads), maxBatchRows);
  }

  /**
   * Bounds the rows of one forward pass, and so the native memory of a call; a call with more
   * inputs runs several passes.
   *
   * @param rows at least 1
   * @return changed options
   */
  public ModelOptions withMaxBatchRows(int rows) {
    if (rows < 1) {
      throw new IllegalArgumentException(
          String.format(Locale.ROOT, "maxBatchRows must be >= 1, found %d", rows));
    }
    return new ModelOptions(device, threads, rows);
  }

  /**
   * The device to run on.
   *
   * @return the device
   */
  public ComputeDevice device() {
    return device;
  }

  /**
   * The libtorch thread count to set.
   *
   * @return the count, or empty to leave libtorch's own
   */
  public OptionalInt threads() {
    return threads;
  }

  /**
   * The largest number of rows in one forward pass.
   *
   * @return at least 1
   */
  public int maxBatchRows() {
    return maxBatchRows;
  }

  @Override
  public String toString() {
    return "ModelOptions[device=" + device + ", threads="
        + (threads.isPresent() ? Integer.toString(threads.getAsInt()) : "default")
        + ", maxBatchRows=" + maxBatchRows + "]";
  }
}
