package dev.o2v.encoders.encoder;

import java.util.Locale;

/**
 * How the {@code hcnn} encoder computes its convolutions, chosen per forward pass from the
 * layers' widths and whether gradients are needed.
 *
 * <p>Both kernels compute the same function (they differ in rounding only); which is faster
 * depends on the shape. Measured on a 2-core AVX-512 CPU with oneDNN limited to AVX2 (the
 * launcher's setting), thread CPU time of one encoder's four width-3 layers (benchmarks README,
 * "hcnn kernels"): libtorch's convolution (oneDNN) beats the matrix product over stacked windows
 * for inference at every measured size and for training up to 128 channels a layer, while the
 * window product trains faster at 1,024 channels a layer (SageMaker's default {@code enc_dim}
 * 4096). The boundary between the measured widths is set at {@value #WIDE_LAYER} channels.
 *
 * <p>The choice depends on the network and on training versus inference only, never on timing,
 * so the same seed still gives the same model. The system property {@value #PROPERTY} ({@code
 * convolution} or {@code windows}) forces one kernel, for measurements and tests.
 */
enum HcnnKernel {
  /**
   * libtorch's 1-D convolution on channels-first activations {@code [B, C, T]}: one transpose of
   * the input, then no copies of the activations between layers.
   */
  CONVOLUTION,
  /**
   * One matrix product per layer over the {@code k} shifted copies of the channels-last input,
   * stacked into windows {@code [B, T, C·k]}.
   */
  WINDOWS;

  /** System property that forces a kernel: {@code convolution} or {@code windows}. */
  static final String PROPERTY = "o2v.hcnn.kernel";

  /** Output channels from which a training pass uses {@link #WINDOWS}. */
  static final int WIDE_LAYER = 512;

  /** The kernel for a pass over layers at most {@code widestLayer} channels wide. */
  static HcnnKernel forPass(boolean gradients, int widestLayer, boolean gpu) {
    return choose(System.getProperty(PROPERTY), gradients, widestLayer, gpu);
  }

  /**
   * The rule itself, without reading the process's state.
   *
   * @param override the value of {@value #PROPERTY}, or null
   * @param gradients whether the pass records gradients (training)
   * @param widestLayer the largest output channel count of the layers
   * @param gpu whether the pass runs on a GPU (cuDNN's convolution is used there)
   */
  static HcnnKernel choose(String override, boolean gradients, int widestLayer, boolean gpu) {
    if (override != null && !override.isBlank()) {
      return switch (override.trim().toLowerCase(Locale.ROOT)) {
        case "convolution" -> CONVOLUTION;
        case "windows" -> WINDOWS;
        default -> throw new IllegalArgumentException(
            PROPERTY + " must be convolution or windows, found " + override);
      };
    }
    if (gpu || !gradients) {
      return CONVOLUTION;
    }
    return widestLayer >= WIDE_LAYER ? WINDOWS : CONVOLUTION;
  }
}
