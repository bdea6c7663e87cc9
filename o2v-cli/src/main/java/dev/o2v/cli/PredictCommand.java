package dev.o2v.cli;

import dev.o2v.inference.BatchInput;
import dev.o2v.inference.InferenceFormat;
import dev.o2v.inference.LineRequests;
import dev.o2v.inference.text.TextEncoder;
import dev.o2v.inference.text.TextRequests;
import java.io.IOException;
import java.nio.file.Path;
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

  @Option(names = "--text-pairs", paramLabel = "FILE",
      description = "Score raw text pairs instead of --data: a TSV file of two columns (in0"
          + " text, in1 text); the model must have been trained on o2v prepare output.")
  Path textPairs;

  @Override
  public Integer call() throws IOException {
    InferenceFormat format;
    try {
      format = InferenceFormat.ofAcceptType(accept);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--" + e.getMessage());
    }
    if (textPairs != null) {
      if (options.data != null) {
        throw new ParameterException(spec.commandLine(), "give --data or --text-pairs, not both");
      }
      BatchInput input;
      try (TextEncoder encoder = TextEncoder.forModelDirectory(options.modelDir)) {
        input = TextRequests.ofPairs(encoder, textPairs);
      }
      return options.run(spec, "predict", LineRequests.predict(), format, input);
    }
    return options.run(spec, "predict", LineRequests.predict(), format);
  }
}
