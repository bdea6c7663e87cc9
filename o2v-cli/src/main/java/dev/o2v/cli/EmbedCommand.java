package dev.o2v.cli;

import picocli.CommandLine.Command;

/** {@code o2v embed}: Embed one side of each record of a JSON Lines file. */
@Command(name = "embed", mixinStandardHelpOptions = true, description = "Embed one side of each record of a JSON Lines file.")
final class EmbedCommand extends NotImplementedCommand {}
