package dev.o2v.train;

import ai.djl.Device;
import java.nio.file.Path;
import java.util.Optional;

/**
 * How to run a training job, besides the hyperparameters.
 *
 * @param modelDir where checkpoints and the final model go
 * @param auxDir the auxiliary channel (vocabulary and pretrained files), if any
 * @param device the device to train on
 * @param seed the seed every random choice derives from
 * @param resume continue from the last complete checkpoint in {@code modelDir}
 */
public record TrainingOptions(
    Path modelDir, Optional<Path> auxDir, Device device, long seed, boolean resume) {}
