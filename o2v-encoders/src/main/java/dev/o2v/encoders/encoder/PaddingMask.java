package dev.o2v.encoders.encoder;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.HashMap;
import java.util.Map;

/**
 * The padding layout of one batch of sequences, built once per batch and shared by every layer and
 * pooling of an encoder, so that each mask or index costs its native operations only once.
 *
 * <p>Shapes: {@code lengths [B]} (any integer type, each in {@code [0, T]}; a sequence of
 * length 0, such as a side of only id 0, pools to zeros), values {@code [B, T,
 * W]} for any width {@code W}. Every array is created lazily on the manager and device of {@code
 * lengths} and lives as long as that manager; none needs a gradient. Padding is removed with a
 * select ({@code where}), or a multiplication where the values are known to be finite, so padded
 * positions may hold any value, NaN and infinity included.
 */
final class PaddingMask {

  private final NDArray lengths;
  private final long batch;
  private final long maxLen;
  private NDArray positions;
  private NDArray lengthColumn;
  private NDArray valid;
  private NDArray reversal;
  private NDArray validColumn;
  private NDArray reversalColumn;
  private NDArray nonEmpty;
  private final Map<Long, NDArray> nonEmptyByWidth = new HashMap<>();
  private final Map<Long, NDArray> validByWidth = new HashMap<>();
  private final Map<Long, NDArray> reversalByWidth = new HashMap<>();
  private final Map<DataType, NDArray> counts = new HashMap<>();
  private final Map<DataType, NDArray> keep = new HashMap<>();
  private final Map<String, NDArray> fillers = new HashMap<>();

  private PaddingMask(NDArray lengths, long maxLen) {
    this.lengths = lengths;
    this.batch = lengths.getShape().get(0);
    this.maxLen = maxLen;
  }

  /**
   * The layout of sequences of {@code lengths [B]} padded to {@code maxLen}.
   *
   * @param lengths {@code [B]} sequence lengths
   * @param maxLen {@code T}, the padded length
   */
  static PaddingMask of(NDArray lengths, long maxLen) {
    return new PaddingMask(lengths, maxLen);
  }

  /** {@code [B, T]} boolean, {@code valid[b, t] = t < lengths[b]}. */
  NDArray valid() {
    if (valid == null) {
      valid = lengthColumn().gt(positions());
    }
    return valid;
  }

  /**
   * The validity mask as numbers, {@code [B, T, 1]} with 1 at valid positions and 0 at padding, to
   * zero padding by one multiplication where the values are known to be finite.
   */
  NDArray keep(DataType dataType) {
    return keep.computeIfAbsent(dataType, t -> validColumn().toType(t, false));
  }

  /**
   * Replaces padded positions with {@code fill}.
   *
   * @param values {@code [B, T, W]}
   * @return {@code [B, T, W]}, {@code values} inside each sequence and {@code fill} past its end
   */
  NDArray fillPadding(NDArray values, float fill) {
    long width = values.getShape().get(2);
    // DJL's where on PyTorch wants the condition in the exact shape of the kept values.
    NDArray condition = validByWidth.computeIfAbsent(width, w -> widen(validColumn(), w));
    return NDArrays.where(condition, values, filler(fill, values.getDataType()));
  }

  /**
   * Replaces padded positions with zeros, as {@code fillPadding(values, 0)} does and with the same
   * gradient. On the CPU, when every value is finite (their sum is, which one reduction tells),
   * one multiplication by {@link #keep} does it: libtorch's select goes element by element, about
   * six times slower than a multiplication ({@code [128, 20, 64]} float32 on one thread: 85 to 104
   * µs against 15, the sum 15 to 27). With NaN or infinity anywhere, or on another device, where
   * reading the sum would wait for the device, the select.
   *
   * @param values {@code [B, T, W]} float32
   * @return {@code [B, T, W]}, {@code values} inside each sequence and 0 past its end
   */
  NDArray zeroPadding(NDArray values) {
    if (values.getDataType() == DataType.FLOAT32
        && values.getDevice().getDeviceType().equals(Device.Type.CPU)
        && Float.isFinite(values.stopGradient().sum().getFloat())) {
      return values.mul(keep(DataType.FLOAT32));
    }
    return fillPadding(values, 0f);
  }

  /**
   * Mean over time of the valid positions: {@code [B, T, W] -> [B, W]}. A sequence of length 0
   * has the mean 0: its sum is 0 and it is divided by 1 instead of 0 (as SageMaker's network
   * does), so no NaN appears.
   */
  NDArray maskedMean(NDArray values) {
    DataType type = values.getDataType();
    NDArray count =
        counts.computeIfAbsent(type, t -> lengthColumn().toType(t, false).maximum(1f));
    return zeroPadding(values).sum(new int[] {1}).div(count);
  }

  /**
   * Maximum over time of the valid positions: {@code [B, T, W] -> [B, W]}. Padding becomes
   * negative infinity first, so it never wins and gets a zero gradient; a sequence of length 0
   * has no valid position and gets 0 (not negative infinity).
   */
  NDArray maskedMax(NDArray values) {
    return zeroEmptyRows(MaxOverTime.of(fillPadding(values, Float.NEGATIVE_INFINITY)));
  }

  /**
   * Replaces the rows of sequences of length 0 by zeros, {@code [B, W] -> [B, W]}, with a select,
   * so whatever those rows held (infinity, NaN, a bias) neither shows nor sends a gradient back.
   */
  NDArray zeroEmptyRows(NDArray pooled) {
    long width = pooled.getShape().get(1);
    NDArray condition =
        nonEmptyByWidth.computeIfAbsent(
            width, w -> nonEmpty().broadcast(new Shape(batch, w)));
    NDArray zero =
        fillers.computeIfAbsent(
            "row0/" + pooled.getDataType(),
            k -> manager().zeros(new Shape(1, 1), pooled.getDataType(), lengths.getDevice()));
    return NDArrays.where(condition, pooled, zero);
  }

  /** {@code [B, 1]} boolean, true where the sequence has at least one valid position. */
  private NDArray nonEmpty() {
    if (nonEmpty == null) {
      nonEmpty = lengthColumn().gt(0);
    }
    return nonEmpty;
  }

  /**
   * Reverses every sequence within its own length, {@code out[b, t] = values[b, len_b - 1 - t]}
   * for {@code t < len_b}; padded positions stay in place. {@code [B, T, W] -> [B, T, W]}.
   */
  NDArray reverseWithinLength(NDArray values) {
    long width = values.getShape().get(2);
    NDArray index = reversalByWidth.computeIfAbsent(width, w -> widen(reversalColumn(), w));
    return values.gather(index, 1);
  }

  /** {@code [B, T]} int64: {@code len_b - 1 - t} inside a sequence, {@code t} past its end. */
  NDArray reversalIndex() {
    if (reversal == null) {
      // len_b + (-1 - t) = len_b - 1 - t, with no scalar operand to create.
      NDArray minusOneMinusT =
          manager().arange(-1f, -1f - maxLen, -1f, DataType.INT64, lengths.getDevice());
      NDArray reversed = lengthColumn().add(minusOneMinusT);
      reversal = NDArrays.where(valid(), reversed, positions());
    }
    return reversal;
  }

  /** {@code [B, T, 1]} view of {@link #valid()}. */
  private NDArray validColumn() {
    if (validColumn == null) {
      validColumn = valid().expandDims(2);
    }
    return validColumn;
  }

  /** {@code [B, T, 1]} view of {@link #reversalIndex()}. */
  private NDArray reversalColumn() {
    if (reversalColumn == null) {
      reversalColumn = reversalIndex().expandDims(2);
    }
    return reversalColumn;
  }

  /** Broadcasts a {@code [B, T, 1]} array to {@code [B, T, width]} (a view, no copy). */
  private NDArray widen(NDArray column, long width) {
    return column.broadcast(new Shape(batch, maxLen, width));
  }

  /** {@code [T]} int64 positions {@code 0 .. T-1}. */
  private NDArray positions() {
    if (positions == null) {
      positions = manager().arange(0f, (float) maxLen, 1f, DataType.INT64, lengths.getDevice());
    }
    return positions;
  }

  /** {@code [B, 1]} lengths in their own type. */
  private NDArray lengthColumn() {
    if (lengthColumn == null) {
      lengthColumn = lengths.reshape(batch, 1);
    }
    return lengthColumn;
  }

  private NDArray filler(float value, DataType dataType) {
    return fillers.computeIfAbsent(
        value + "/" + dataType,
        k -> manager().full(new Shape(1, 1, 1), value, dataType, lengths.getDevice()));
  }

  private NDManager manager() {
    return lengths.getManager();
  }
}
