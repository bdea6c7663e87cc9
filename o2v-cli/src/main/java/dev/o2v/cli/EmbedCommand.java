package dev.o2v.cli;

import dev.o2v.inference.BatchInput;
import dev.o2v.inference.InferenceFormat;
import dev.o2v.inference.LineRequests;
import dev.o2v.inference.text.TextEncoder;
import dev.o2v.inference.text.TextRequests;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code o2v embed}: one encoder embedding per line of JSON Lines input. */
@Command(
    name = "embed",
    mixinStandardHelpOptions = true,
    description = {
      "Embed one side of each record of a JSON Lines file.",
      "Without --side, a line with one side embeds that side and a line with both embeds in0."
          + " With --side, every line must carry that side and only it is embedded.",
      "With --text, raw text is embedded (side in0 unless --side says otherwise)."
    })
final class EmbedCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin InferenceOptions options;

  @Option(names = "--side", paramLabel = "in0|in1",
      description = "The side to embed (every line must have it).")
  String side;

  @Option(names = "--format", paramLabel = "jsonl|json|tsv|npy", defaultValue = "jsonl",
      description = "jsonl: {\"embeddings\":[...]} per line; json: one {\"predictions\":[...]}"
          + " document; tsv: tab-separated floats per line; npy: a float32 [N, enc_dim] NumPy"
          + " array (needs --out). Default: ${DEFAULT-VALUE}.")
  String format;

  @Option(names = "--text", paramLabel = "TEXT",
      description = "Embed this raw text instead of --data (repeatable); the model must have"
          + " been trained with --aux on o2v prepare output, whose tokenizer it keeps.")
  List<String> texts;

  @Override
  public Integer call() throws IOException {
    if (texts != null && !texts.isEmpty()) {
      if (options.data != null) {
        throw new ParameterException(spec.commandLine(), "give --data or --text, not both");
      }
      int s = side == null ? 0 : parseSide();
      BatchInput input;
      try (TextEncoder encoder = TextEncoder.forModelDirectory(options.modelDir)) {
        input = TextRequests.ofTexts(encoder, "--text", s, texts);
      }
      return options.run(spec, "embed", LineRequests.embed(s, true), parseFormat(), input);
    }
    LineRequests requests =
        side == null ? LineRequests.embed(0, false) : LineRequests.embed(parseSide(), true);
    return options.run(spec, "embed", requests, parseFormat());
  }

  private int parseSide() {
    return switch (side.trim().toLowerCase(Locale.ROOT)) {
      case "in0" -> 0;
      case "in1" -> 1;
      default -> throw new ParameterException(spec.commandLine(),
          "--side must be in0 or in1, found '" + side + "'");
    };
  }

  private InferenceFormat parseFormat() {
    return switch (format.trim().toLowerCase(Locale.ROOT)) {
      case "jsonl", "jsonlines" -> InferenceFormat.JSONLINES;
      case "json" -> InferenceFormat.JSON;
      case "tsv" -> InferenceFormat.TSV;
      case "npy" -> InferenceFormat.NPY;
      default -> throw new ParameterException(spec.commandLine(),
          "--format must be jsonl, json, tsv or npy, found '" + format + "'");
    };
  }
}
