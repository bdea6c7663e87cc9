package dev.o2v.train.runtime;

import dev.o2v.core.hp.EncoderSpec;
import dev.o2v.core.hp.Hyperparameters;
import dev.o2v.encoders.encoder.BiLstmEncoder;
import dev.o2v.encoders.encoder.HcnnEncoder;

/**
 * The size of the largest native operations of one step of a network, estimated from its
 * hyperparameters for full batches of the longest sequences: the largest matrix product in
 * multiply-adds and the largest activation in elements.
 *
 * <p>Products counted, per side for the encoders: an {@code hcnn} layer {@code B·T × k·in →
 * c_l}; a {@code bilstm} layer's input projection of one direction {@code B·T × in → 4h} ({@code
 * h = ⌈enc_dim / 2⌉}), computed for the whole sequence at once; each MLP layer {@code B × in →
 * out} and the output layer. Activations: the token vectors {@code B × T × D} of a side, an
 * encoder layer's outputs over time, the comparator's {@code B × width}. {@code pooled_embedding}
 * multiplies nothing: its cost is its token vectors.
 *
 * @param largestProduct multiply-adds of the largest matrix product of a forward pass
 * @param largestActivation elements of the largest activation of a forward pass
 */
public record StepWork(long largestProduct, long largestActivation) {

  /** The estimate for batches of {@code hp}'s {@code mini_batch_size} records. */
  public static StepWork of(Hyperparameters hp) {
    return of(hp, hp.miniBatchSize());
  }

  /** The estimate for batches of {@code batch} records. */
  public static StepWork of(Hyperparameters hp, int batch) {
    long product = 0;
    long activation = 0;
    for (int side = 0; side < 2; side++) {
      EncoderSpec encoder = hp.encoder(side);
      long rows = (long) batch * encoder.maxSeqLen();
      long in = encoder.tokenEmbeddingDim();
      activation = Math.max(activation, rows * in);
      switch (encoder.network()) {
        case HCNN -> {
          for (int channels : HcnnEncoder.channelSplit(hp.encDim(), encoder.layers())) {
            product = Math.max(product, rows * encoder.cnnFilterWidth() * in * channels);
            activation = Math.max(activation, rows * channels);
            in = channels;
          }
        }
        case BILSTM -> {
          long hidden = BiLstmEncoder.statesPerDirection(hp.encDim());
          for (int l = 0; l < encoder.layers(); l++) {
            product = Math.max(product, rows * in * 4 * hidden);
            activation = Math.max(activation, rows * 4 * hidden);
            in = 2 * hidden;
          }
        }
        case POOLED_EMBEDDING -> { }
      }
    }
    long in = hp.comparatorWidth();
    activation = Math.max(activation, (long) batch * in);
    for (int l = 0; l < hp.mlpLayers(); l++) {
      product = Math.max(product, (long) batch * in * hp.mlpDim());
      in = hp.mlpDim();
    }
    product = Math.max(product, (long) batch * in * hp.outputWidth());
    return new StepWork(product, activation);
  }
}
