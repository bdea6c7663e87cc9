package dev.o2v.cli;

import picocli.CommandLine.Command;

/** {@code o2v predict}: Score pairs or embed single sides of a JSON Lines file with a trained model. */
@Command(name = "predict", mixinStandardHelpOptions = true, description = "Score pairs or embed single sides of a JSON Lines file with a trained model.")
final class PredictCommand extends NotImplementedCommand {}
