package dev.o2v.encoders.encoder;

import java.util.Locale;

/**
 * How the {@code hcnn} encoder computes its convolutions: the matrix product over stacked windows,
 * for training and inference alike, unless a measurement forces libtorch's convolution.
 *
 * <p>Both kernels compute the same encoding (they differ in rounding only). The window product is
 * the one with checked gradients: libtorch 2.7.1's float32 convolution returned wrong input
 * gradients on a 2-core AVX-512 test CPU for layers of 3 to 4 channels (checked against finite
 * differences; its outputs were right), so training never uses it. For inference the convolution
 * (oneDNN, limited to AVX2 by the launcher) used to be the faster kernel there, while libtorch's
 * MKL multiplied at its generic rate on that AMD CPU; with MKL choosing its AVX-512 kernels
 * ({@code MklProcessorCheck} in the training module) the window product scores faster at every
 * measured shape: 4,547 against 3,749 records/s for the sentence-task encoder (128 channels a
 * layer), 141 against 84 at SageMaker's defaults (1,024), level at 16 (benchmarks README, "hcnn
 * kernels").
 *
 * <p>The system property {@value #PROPERTY} ({@code convolution} or {@code windows}) forces one
 * kernel for every pass, for measurements and tests.
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

  /** The kernel for this process's passes. */
  static HcnnKernel current() {
    return choose(System.getProperty(PROPERTY));
  }

  /**
   * The rule itself, without reading the process's state.
   *
   * @param override the value of {@value #PROPERTY}, or null
   */
  static HcnnKernel choose(String override) {
    if (override != null && !override.isBlank()) {
      return switch (override.trim().toLowerCase(Locale.ROOT)) {
        case "convolution" -> CONVOLUTION;
        case "windows" -> WINDOWS;
        default -> throw new IllegalArgumentException(
            PROPERTY + " must be convolution or windows, found " + override);
      };
    }
    return WINDOWS;
  }
}
