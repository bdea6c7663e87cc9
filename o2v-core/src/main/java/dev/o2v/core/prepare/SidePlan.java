package dev.o2v.core.prepare;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * What prepare decided for one side of the pair; the input of the hyperparameter template.
 *
 * @param kind text or ids
 * @param vocabSize the {@code encX_vocab_size}
 * @param maxSeqLen the {@code encX_max_seq_len}
 * @param vocabFile the vocabulary file name in the output directory (text sides)
 * @param pretrainedFile the trimmed vector file name, when {@code --pretrained} was given
 * @param pretrainedDim the width of those vectors
 */
public record SidePlan(
    ColumnKind kind,
    int vocabSize,
    int maxSeqLen,
    Optional<String> vocabFile,
    Optional<String> pretrainedFile,
    OptionalInt pretrainedDim) {}
