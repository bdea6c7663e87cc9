package dev.o2v.benchmarks;

import dev.o2v.core.hp.Hyperparameters;
import dev.o2v.core.hp.Network;
import java.util.Locale;

/**
 * The least work one dense training step of a pooled_embedding network must do: the bytes a dense
 * Adam update moves and the floating-point operations of the forward and backward pass.
 *
 * <p>Bytes: every parameter's weight, gradient and two Adam moments are each read once and written
 * once per step, {@code 4 arrays × 2 × 4 bytes = 32 bytes} per float32 parameter (the gradient's
 * "write" is its reset to zero). FLOPs: a dense layer of {@code in → out} on {@code B} rows costs
 * {@code 2·B·in·out} forward and twice that backward (input and weight gradients); element-wise
 * work (pooling, comparator, activation, loss) is counted at one operation per element forward and
 * two backward. Embedding lookups move data but do no arithmetic.
 *
 * @param parameters trainable float32 weights
 * @param optimizerBytes bytes the dense Adam update moves
 * @param flops floating-point operations of forward plus backward
 */
public record StepCost(long parameters, long optimizerBytes, long flops) {

  /** Bytes moved per parameter by one dense Adam step. */
  public static final int ADAM_BYTES_PER_PARAMETER = 4 * 2 * Float.BYTES;

  /**
   * The cost of one step of {@code hp} on batches of {@code batch} records with sequences of
   * {@code length0} and {@code length1} tokens.
   *
   * @throws IllegalArgumentException unless both encoders are pooled_embedding
   */
  public static StepCost of(Hyperparameters hp, int batch, int length0, int length1) {
    if (hp.enc0().network() != Network.POOLED_EMBEDDING
        || hp.enc1().network() != Network.POOLED_EMBEDDING) {
      throw new IllegalArgumentException(
          String.format(Locale.ROOT, "step cost is defined for pooled_embedding encoders, found"
              + " %s and %s", hp.enc0().network().key(), hp.enc1().network().key()));
    }
    long d = hp.encDim();
    long tables = hp.tokenTableElements();
    long width = hp.comparatorWidth();
    long dense = 0;
    long denseMacs = 0;
    long in = width;
    for (int l = 0; l < hp.mlpLayers(); l++) {
      dense += in * hp.mlpDim() + hp.mlpDim();
      denseMacs += in * hp.mlpDim();
      in = hp.mlpDim();
    }
    long out = hp.outputWidth();
    dense += in * out + out;
    denseMacs += in * out;
    long b = batch;
    long denseFlops = 3 * 2 * b * denseMacs;
    long pooling = b * d * ((long) length0 + length1);
    long elementwise = pooling + b * width + b * hp.mlpLayers() * (long) hp.mlpDim() + b * out;
    long flops = denseFlops + 3 * elementwise;
    long parameters = tables + dense;
    return new StepCost(parameters, parameters * ADAM_BYTES_PER_PARAMETER, flops);
  }

  /**
   * The cost of one step with lazy ({@code row_sparse}) table updates: only the {@code
   * touchedRows} distinct table rows the batch reads count as parameters the update moves (each
   * with its gradient and two moments, 32 bytes per element, as for a dense weight), plus every
   * dense weight; the arithmetic is that of {@link #of}.
   */
  public static StepCost ofRowSparse(Hyperparameters hp, int batch, int length0, int length1,
      long touchedRows) {
    StepCost dense = of(hp, batch, length0, length1);
    long moved = dense.parameters() - hp.tokenTableElements() + touchedRows * hp.enc0().tokenEmbeddingDim();
    return new StepCost(moved, moved * ADAM_BYTES_PER_PARAMETER, dense.flops());
  }

  /** Seconds the optimizer's memory traffic takes at {@code bytesPerSecond}. */
  public double memorySeconds(double bytesPerSecond) {
    return optimizerBytes / bytesPerSecond;
  }

  /** Seconds the arithmetic takes at {@code flopsPerSecond}. */
  public double computeSeconds(double flopsPerSecond) {
    return flops / flopsPerSecond;
  }

  /**
   * The floor: the larger of memory and compute time, as if the two overlapped perfectly.
   */
  public double floorSeconds(double bytesPerSecond, double flopsPerSecond) {
    return Math.max(memorySeconds(bytesPerSecond), computeSeconds(flopsPerSecond));
  }
}
