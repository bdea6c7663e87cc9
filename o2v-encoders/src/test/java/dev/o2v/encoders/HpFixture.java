package dev.o2v.encoders;

import dev.o2v.core.hp.ComparatorOp;
import dev.o2v.core.hp.EmbeddingStorage;
import dev.o2v.core.hp.EncoderSpec;
import dev.o2v.core.hp.Hyperparameters;
import dev.o2v.core.hp.MlpActivation;
import dev.o2v.core.hp.Network;
import dev.o2v.core.hp.OptimizerKind;
import dev.o2v.core.hp.OutputLayer;
import java.util.List;
import java.util.Optional;

/** Tiny, resolved hyperparameters built field by field, as the parser would hand them over. */
final class HpFixture {

  int encDim = 6;
  Network network0 = Network.HCNN;
  Network network1 = Network.HCNN;
  boolean enc1IsEnc0 = true;
  int vocab0 = 11;
  int vocab1 = 11;
  int tokenDim0 = 5;
  int tokenDim1 = 5;
  List<ComparatorOp> comparators =
      List.of(ComparatorOp.HADAMARD, ComparatorOp.CONCAT, ComparatorOp.ABS_DIFF);
  int mlpLayers = 1;
  int mlpDim = 7;
  MlpActivation activation = MlpActivation.TANH;
  OutputLayer output = OutputLayer.SOFTMAX;
  int numClasses = 3;
  double dropout = 0.0;
  boolean tied = false;
  Optional<String> pretrained0 = Optional.empty();
  Optional<String> vocabFile0 = Optional.empty();
  boolean freeze0 = true;

  Hyperparameters build() {
    EncoderSpec enc0 = spec(network0, vocab0, tokenDim0, pretrained0, vocabFile0, freeze0);
    EncoderSpec enc1 =
        enc1IsEnc0
            ? enc0
            : spec(network1, vocab1, tokenDim1, Optional.empty(), Optional.empty(), true);
    return new Hyperparameters(
        encDim,
        enc0,
        enc1,
        enc1IsEnc0,
        comparators,
        mlpLayers,
        mlpDim,
        activation,
        output,
        numClasses,
        dropout,
        tied,
        EmbeddingStorage.DENSE,
        OptimizerKind.ADAM,
        0.001,
        0.0,
        32,
        1,
        3,
        0.01,
        0,
        0);
  }

  private EncoderSpec spec(
      Network network,
      int vocab,
      int tokenDim,
      Optional<String> pretrained,
      Optional<String> vocabFile,
      boolean freeze) {
    int layers = network == Network.HCNN ? 2 : 1;
    // pooled_embedding has no weights of its own: its token dim is resolved to enc_dim.
    int dim = network == Network.POOLED_EMBEDDING ? encDim : tokenDim;
    return new EncoderSpec(network, vocab, 20, dim, layers, 3, pretrained, vocabFile, freeze);
  }
}
