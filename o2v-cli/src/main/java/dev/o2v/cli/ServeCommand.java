package dev.o2v.cli;

import picocli.CommandLine.Command;

/** {@code o2v serve}: Serve a trained model over HTTP (SageMaker inference contract). */
@Command(name = "serve", mixinStandardHelpOptions = true, description = "Serve a trained model over HTTP (SageMaker inference contract).")
final class ServeCommand extends NotImplementedCommand {}
