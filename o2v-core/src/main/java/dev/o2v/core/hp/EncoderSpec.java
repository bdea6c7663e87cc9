package dev.o2v.core.hp;

import java.util.Optional;

/**
 * The fully resolved settings of one encoder (one side of the pair).
 *
 * <p>Values are resolved: {@code layers} is never "auto" (hcnn 4, bilstm 1, pooled 1), and for
 * {@code pooled_embedding} the token embedding dim already equals {@code enc_dim}.
 *
 * @param network the encoder architecture
 * @param vocabSize number of token ids, ids are in {@code [0, vocabSize)}
 * @param maxSeqLen sequences are truncated to their first {@code maxSeqLen} tokens
 * @param tokenEmbeddingDim width of the token embedding table
 * @param layers number of stacked layers (resolved from "auto")
 * @param cnnFilterWidth convolution width (hcnn only)
 * @param pretrainedEmbeddingFile file name in the auxiliary directory, if any
 * @param vocabFile vocabulary file name in the auxiliary directory, if any
 * @param freezePretrainedEmbedding keep pretrained rows fixed during training
 */
public record EncoderSpec(
    Network network,
    int vocabSize,
    int maxSeqLen,
    int tokenEmbeddingDim,
    int layers,
    int cnnFilterWidth,
    Optional<String> pretrainedEmbeddingFile,
    Optional<String> vocabFile,
    boolean freezePretrainedEmbedding) {}
