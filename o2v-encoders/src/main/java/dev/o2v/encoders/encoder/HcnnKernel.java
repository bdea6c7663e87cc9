package dev.o2v.encoders.encoder;

import java.util.Locale;

/**
 * How the {@code hcnn} encoder computes its convolutions: libtorch's convolution for inference,
 * the matrix product over stacked windows for training.
 *
 * <p>Both kernels compute the same encoding (they differ in rounding only). Measured on a 2-core
 * AVX-512 CPU with oneDNN limited to AVX2 (the launcher's setting), thread CPU time of one
 * encoder's four width-3 layers (benchmarks README, "hcnn kernels"): libtorch's convolution
 * (oneDNN) runs inference faster than the window product at every measured size (16, 128 and
 * 1,024 channels a layer) and trains faster up to 128 channels. It is not used for training
 * because libtorch 2.7.1's float32 convolution returned wrong input gradients on that CPU for
 * layers of 3 to 4 channels (checked against finite differences; its outputs were right, and so
 * were its gradients at 16 channels), so a training pass keeps the window product, whose
 * gradients are checked everywhere.
 *
 * <p>The choice depends on training versus inference only, never on timing, so the same seed
 * still gives the same model. The system property {@value #PROPERTY} ({@code convolution} or
 * {@code windows}) forces one kernel, for measurements and tests.
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

  /** The kernel for a pass that records gradients ({@code true}) or not. */
  static HcnnKernel forPass(boolean gradients) {
    return choose(System.getProperty(PROPERTY), gradients);
  }

  /**
   * The rule itself, without reading the process's state.
   *
   * @param override the value of {@value #PROPERTY}, or null
   * @param gradients whether the pass records gradients (training)
   */
  static HcnnKernel choose(String override, boolean gradients) {
    if (override != null && !override.isBlank()) {
      return switch (override.trim().toLowerCase(Locale.ROOT)) {
        case "convolution" -> CONVOLUTION;
        case "windows" -> WINDOWS;
        default -> throw new IllegalArgumentException(
            PROPERTY + " must be convolution or windows, found " + override);
      };
    }
    return gradients ? WINDOWS : CONVOLUTION;
  }
}
