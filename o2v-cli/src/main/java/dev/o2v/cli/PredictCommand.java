package dev.o2v.cli;

import dev.o2v.train.inference.LineRequests;
import dev.o2v.train.inference.OutputFormat;
import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code o2v predict}: scores pairs and embeds single sides of JSON Lines input, line by line. */
@Command(
    name = "predict",
    mixinStandardHelpOptions = true,
    description = {
      "Score pairs or embed single sides of a JSON Lines file with a trained model.",
      "A line with in0 and in1 gets {\"scores\":[...]}, a line with one of them gets"
          + " {\"embeddings\":[...]}; output line i answers input record i (blank lines are"
          + " skipped). Other fields, such as label, are ignored."
    })
final class PredictCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin InferenceOptions options;

  @Option(names = "--accept", paramLabel = "TYPE", defaultValue = "application/jsonlines",
      description = "application/jsonlines (one result per line) or application/json (one"
          + " {\"predictions\":[...]} document); default: ${DEFAULT-VALUE}.")
  String accept;

  @Override
  public Integer call() throws IOException {
    OutputFormat format;
    try {
      format = OutputFormat.ofMediaType(accept);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--" + e.getMessage());
    }
    return options.run(spec, "predict", LineRequests.predict(), format);
  }
}
