package dev.o2v.train;

import dev.o2v.core.data.PairDataset;
import java.util.Optional;

/**
 * The channels of a training run, loaded and validated.
 *
 * @param train the training records (required)
 * @param validation records for per-epoch validation and early stopping
 * @param test records scored once, with the best model
 */
public record TrainingData(
    PairDataset train, Optional<PairDataset> validation, Optional<PairDataset> test) {}
