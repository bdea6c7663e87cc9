package dev.o2v.cli;

import picocli.CommandLine.Command;

/** {@code o2v evaluate}: Print the metrics of a trained model on a labelled JSON Lines file. */
@Command(name = "evaluate", mixinStandardHelpOptions = true, description = "Print the metrics of a trained model on a labelled JSON Lines file.")
final class EvaluateCommand extends NotImplementedCommand {}
