package dev.o2v.core.hp;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Applies the cross-key rules that concern the two encoders and resolves their final settings.
 *
 * <p>Rules: {@code enc1_network=enc0} copies every enc0 setting (network, sizes, dims, layers,
 * filter width, file names, freeze flag) to encoder 1, and enc1 keys that would change something
 * are ignored with one WARN line; any other enc1 network makes enc1 independent, which requires
 * {@code enc1_vocab_size} and {@code enc1_max_seq_len}; {@code auto} layers resolve to hcnn 4,
 * bilstm 1, pooled_embedding 1; pooled_embedding takes {@code enc_dim} as its token embedding dim
 * (one WARN line when that changes a value), and accepts a given token dim equal to enc_dim even
 * above the key's range, since that is the value it resolves to and the value a model directory
 * records; a pretrained embedding file needs a vocab file; tied token embeddings need equal vocab
 * sizes and equal resolved token dims.
 */
final class EncoderResolver {

  /** The per-encoder key suffixes after {@code encX_}, except {@code network}. */
  static final List<String> SUFFIXES =
      List.of(
          "vocab_size",
          "max_seq_len",
          "token_embedding_dim",
          "layers",
          "cnn_filter_width",
          "pretrained_embedding_file",
          "vocab_file",
          "freeze_pretrained_embedding");

  /** Both resolved encoders. */
  record Resolved(EncoderSpec enc0, EncoderSpec enc1, boolean enc1IsEnc0) {}

  private final ParsedValues values;
  private final Consumer<String> violations;
  private final Consumer<String> warnings;

  EncoderResolver(ParsedValues values, Consumer<String> violations, Consumer<String> warnings) {
    this.values = values;
    this.violations = violations;
    this.warnings = warnings;
  }

  /** Whether {@code name} is one of the two token embedding dim keys. */
  static boolean isTokenDim(String name) {
    return name.equals(key(0, "token_embedding_dim")) || name.equals(key(1, "token_embedding_dim"));
  }

  /** The full key name for encoder {@code side}. */
  static String key(int side, String suffix) {
    return "enc" + side + "_" + suffix;
  }

  /**
   * Checks every encoder rule, reporting violations and warnings; returns both encoders when all
   * the values they need parsed.
   */
  Optional<Resolved> resolve() {
    Boolean sameAsEnc0 =
        values.has("enc1_network")
            ? values.textOf("enc1_network").equals(HyperparameterCatalog.ENC1_SAME_AS_ENC0)
            : null;
    boolean independent = Boolean.FALSE.equals(sameAsEnc0);
    Integer encDim = values.has("enc_dim") ? values.intOf("enc_dim") : null;
    Network network0 = network(0);
    Network network1 = independent ? network(1) : network0;
    checkTokenDimRanges(network0, sameAsEnc0 == null ? null : network1, encDim);
    if (independent) {
      requireForIndependentEnc1("enc1_vocab_size");
      requireForIndependentEnc1("enc1_max_seq_len");
    } else if (Boolean.TRUE.equals(sameAsEnc0)) {
      warnIgnoredEnc1Keys(network0, encDim);
    }
    warnPooledDims(network0, independent ? network1 : null, encDim);
    checkVocabFileGiven(0);
    if (independent) {
      checkVocabFileGiven(1);
      checkTied(network0, network1, encDim);
    }
    if (sameAsEnc0 == null) {
      return Optional.empty();
    }
    Optional<EncoderSpec> enc0 = build(0, network0, encDim);
    Optional<EncoderSpec> enc1 = independent ? build(1, network1, encDim) : enc0;
    if (enc0.isEmpty() || enc1.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new Resolved(enc0.get(), enc1.get(), sameAsEnc0));
  }

  /**
   * Reports a token dim outside its key's range unless the encoder is pooled_embedding and the
   * value equals enc_dim: then it is exactly the value the rule below would force.
   */
  private void checkTokenDimRanges(Network network0, Network network1, Integer encDim) {
    Network[] networks = {network0, network1};
    for (int side = 0; side < 2; side++) {
      String name = key(side, "token_embedding_dim");
      Optional<String> violation = values.outOfRangeViolation(name);
      if (violation.isPresent()
          && !(networks[side] == Network.POOLED_EMBEDDING
              && encDim != null
              && values.intOf(name) == encDim)) {
        violations.accept(violation.get());
        values.forget(name);
      }
    }
  }

  private void requireForIndependentEnc1(String name) {
    if (!values.isGiven(name)) {
      violations.accept(name + " must be set when enc1_network is not enc0, found nothing");
    }
  }

  /** The network of {@code side}, or null when it failed to parse. */
  private Network network(int side) {
    String name = key(side, "network");
    return values.has(name)
        ? HyperparameterParser.named(Network.values(), Network::key, values.textOf(name))
        : null;
  }

  /**
   * The resolved value of {@code encSIDE_SUFFIX} for an encoder with {@code network}: layers
   * without "auto", the token dim forced to enc_dim for pooled_embedding; null when unknown.
   */
  private Object effective(int side, String suffix, Network network, Integer encDim) {
    String name = key(side, suffix);
    if (!values.has(name)) {
      return null;
    }
    if (suffix.equals("layers")) {
      int layers = values.intOf(name);
      if (layers != ValueParser.LAYERS_AUTO) {
        return layers;
      }
      return network == null ? null : network == Network.HCNN ? 4 : 1;
    }
    if (suffix.equals("token_embedding_dim") && network == Network.POOLED_EMBEDDING) {
      return encDim;
    }
    return switch (suffix) {
      case "pretrained_embedding_file", "vocab_file" -> values.textOf(name);
      case "freeze_pretrained_embedding" -> values.boolOf(name);
      default -> values.intOf(name);
    };
  }

  private void warnIgnoredEnc1Keys(Network network0, Integer encDim) {
    List<String> ignored = new ArrayList<>();
    for (String suffix : SUFFIXES) {
      String name = key(1, suffix);
      if (values.isGiven(name) && values.has(name)) {
        Object own = effective(1, suffix, network0, encDim);
        Object copied = effective(0, suffix, network0, encDim);
        if (own != null && copied != null && !own.equals(copied)) {
          ignored.add(name + "=" + ValueParser.display(values.raw(name)));
        }
      }
    }
    if (!ignored.isEmpty()) {
      warnings.accept(
          "enc1_network=enc0 copies every enc0 setting to encoder 1; ignoring "
              + String.join(", ", ignored));
    }
  }

  private void warnPooledDims(Network network0, Network network1, Integer encDim) {
    List<String> forced = new ArrayList<>();
    Network[] networks = {network0, network1};
    for (int side = 0; side < 2; side++) {
      String name = key(side, "token_embedding_dim");
      if (networks[side] == Network.POOLED_EMBEDDING
          && encDim != null
          && values.has(name)
          && values.intOf(name) != encDim) {
        forced.add(name + "=" + encDim + " (not " + values.intOf(name) + ")");
      }
    }
    if (!forced.isEmpty()) {
      warnings.accept(
          "pooled_embedding averages token embeddings, so their width must be enc_dim; using "
              + String.join(", ", forced));
    }
  }

  private void checkVocabFileGiven(int side) {
    String pretrained = key(side, "pretrained_embedding_file");
    String vocab = key(side, "vocab_file");
    if (values.hasAll(pretrained, vocab)
        && !values.textOf(pretrained).isEmpty()
        && values.textOf(vocab).isEmpty()) {
      violations.accept(vocab + " must be set when " + pretrained + " is set, found ''");
    }
  }

  private void checkTied(Network network0, Network network1, Integer encDim) {
    if (!values.has("tied_token_embedding_weight")
        || !values.boolOf("tied_token_embedding_weight")) {
      return;
    }
    for (String suffix : List.of("vocab_size", "token_embedding_dim")) {
      Object first = effective(0, suffix, network0, encDim);
      Object second = effective(1, suffix, network1, encDim);
      if (first != null && second != null && !Objects.equals(first, second)) {
        violations.accept(
            key(1, suffix) + " must equal " + key(0, suffix) + " (" + first
                + ") when tied_token_embedding_weight is true, found " + second);
      }
    }
  }

  private Optional<EncoderSpec> build(int side, Network network, Integer encDim) {
    List<Object> resolved = new ArrayList<>();
    for (String suffix : SUFFIXES) {
      Object value = effective(side, suffix, network, encDim);
      if (value == null) {
        return Optional.empty();
      }
      resolved.add(value);
    }
    String pretrained = (String) resolved.get(5);
    String vocab = (String) resolved.get(6);
    return Optional.of(
        new EncoderSpec(
            network,
            (Integer) resolved.get(0),
            (Integer) resolved.get(1),
            (Integer) resolved.get(2),
            (Integer) resolved.get(3),
            (Integer) resolved.get(4),
            pretrained.isEmpty() ? Optional.empty() : Optional.of(pretrained),
            vocab.isEmpty() ? Optional.empty() : Optional.of(vocab),
            (Boolean) resolved.get(7)));
  }
}
