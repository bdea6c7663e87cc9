package dev.o2v.encoders.encoder;

import ai.djl.ndarray.NDArray;

/**
 * Length-aware tensor helpers shared by the encoders: validity masks, masked pooling over time and
 * reversal of each sequence within its own length.
 *
 * <p>Shapes: {@code values [B, T, D]}, {@code lengths [B]} (any integer type, each in {@code [0,
 * T]}; a sequence of length 0 pools to zeros). Positions {@code t >= lengths[b]} are padding and
 * may hold any value, including NaN or infinity: padding is removed with a select ({@code where}), never by multiplying with a 0/1 mask,
 * so it cannot leak into results or gradients. All value-carrying operations are differentiable;
 * only the masks and indices (which need no gradient) use non-differentiable ops.
 *
 * <p>Each call builds its mask anew; the encoders build one {@code PaddingMask} per batch instead
 * and share it between their layers.
 */
public final class SequenceMasks {

  private SequenceMasks() {}

  /**
   * Builds the validity mask {@code mask[b, t] = t < lengths[b]}.
   *
   * @param lengths {@code [B]} sequence lengths
   * @param maxLen {@code T}, the padded length
   * @return {@code [B, T]} boolean mask, on the manager of {@code lengths}
   */
  public static NDArray validMask(NDArray lengths, long maxLen) {
    return PaddingMask.of(lengths, maxLen).valid();
  }

  /**
   * Replaces padded positions with zero.
   *
   * @param values {@code [B, T, D]}
   * @param lengths {@code [B]}
   * @return {@code [B, T, D]}, equal to {@code values} inside each sequence and 0 past its end
   */
  public static NDArray zeroPadding(NDArray values, NDArray lengths) {
    return layout(values, lengths).zeroPadding(values);
  }

  /**
   * Mean over time of the valid positions only.
   *
   * @param values {@code [B, T, D]}
   * @param lengths {@code [B]}; a length of 0 gives zeros
   * @return {@code [B, D]}
   */
  public static NDArray maskedMean(NDArray values, NDArray lengths) {
    return layout(values, lengths).maskedMean(values);
  }

  /**
   * Maximum over time of the valid positions only. Padded positions are replaced by negative
   * infinity before the maximum, so they never win and receive a zero gradient.
   *
   * @param values {@code [B, T, D]}
   * @param lengths {@code [B]}; a length of 0 gives zeros
   * @return {@code [B, D]}
   */
  public static NDArray maskedMax(NDArray values, NDArray lengths) {
    return layout(values, lengths).maskedMax(values);
  }

  /**
   * Reverses every sequence within its own length: {@code out[b, t] = values[b, len_b - 1 - t]} for
   * {@code t < len_b}. Padded positions {@code t >= len_b} stay where they are. The mapping is its
   * own inverse, so applying it twice restores {@code values}.
   *
   * @param values {@code [B, T, D]}
   * @param lengths {@code [B]}
   * @return {@code [B, T, D]}
   */
  public static NDArray reverseWithinLength(NDArray values, NDArray lengths) {
    return layout(values, lengths).reverseWithinLength(values);
  }

  /**
   * The time index used by {@link #reverseWithinLength}: {@code len_b - 1 - t} inside a sequence,
   * {@code t} past its end.
   *
   * @param lengths {@code [B]}
   * @param maxLen {@code T}
   * @return {@code [B, T]} int64 indices
   */
  public static NDArray reversalIndex(NDArray lengths, long maxLen) {
    return PaddingMask.of(lengths, maxLen).reversalIndex();
  }

  private static PaddingMask layout(NDArray values, NDArray lengths) {
    return PaddingMask.of(lengths, values.getShape().get(1));
  }
}
