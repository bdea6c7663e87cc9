package dev.o2v.encoders.encoder;

import ai.djl.nn.AbstractBlock;
import dev.o2v.core.hp.EncoderSpec;

/** Builds the encoder block that an {@link EncoderSpec} describes. */
public final class EncoderFactory {

  private EncoderFactory() {}

  /**
   * Creates an uninitialised encoder block.
   *
   * @param spec resolved settings of one encoder ({@code layers} is never "auto"; for {@code
   *     pooled_embedding} the token dim already equals {@code encDim})
   * @param encDim output width of the encoder
   * @param dropout dropout rate between encoder layers, in {@code [0, 1]}
   * @return a block mapping {@code (embedded [B, T, D], lengths [B])} to {@code [B, encDim]}
   */
  public static AbstractBlock create(EncoderSpec spec, int encDim, float dropout) {
    return switch (spec.network()) {
      case POOLED_EMBEDDING -> new PooledEmbeddingEncoder(encDim);
      case HCNN -> new HcnnEncoder(encDim, spec.layers(), spec.cnnFilterWidth(), dropout);
      case BILSTM -> new BiLstmEncoder(encDim, spec.layers(), dropout);
    };
  }
}
