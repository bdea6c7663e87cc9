package dev.o2v.core.hp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.o2v.core.io.BoundedText;
import dev.o2v.core.io.IoReasons;
import dev.o2v.core.io.JsonProblems;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Reads hyperparameters from JSON text, files and maps, applies command-line overrides, and writes
 * the canonical map back.
 *
 * <p>The canonical map holds every catalog key, sorted, with its resolved value as a string in
 * SageMaker's form: integers as {@code "30"}, floats as plain decimals without exponent or
 * trailing zeros ({@code "0.0004"}), booleans as {@code "True"}/{@code "False"}, layers as the
 * resolved number (never {@code auto}), file names as given or {@code ""}, and the comparator list
 * as {@code "hadamard, concat, abs_diff"}. When encoder 1 copies encoder 0, {@code enc1_network}
 * is {@code enc0} and the other enc1 keys repeat enc0's values; a pooled_embedding token dim is
 * its enc_dim, which the parser accepts even above the key's range. Parsing the canonical map
 * gives an equal {@link Hyperparameters} without warnings, and canonicalising again gives the
 * same map.
 */
public final class HyperparameterCodec {

  private static final JsonMapper JSON =
      JsonMapper.builder()
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(SerializationFeature.INDENT_OUTPUT)
          .build();

  /**
   * The largest hyperparameter file read (1 MiB); every documented key with a long value fits
   * many times over, and an endless input ({@code /dev/zero}) stops here.
   */
  public static final long MAX_FILE_BYTES = 1 << 20;

  private HyperparameterCodec() {}

  /** Validates a raw map; warnings go to the SLF4J log. */
  public static Hyperparameters parse(Map<String, ?> raw) {
    return new HyperparameterParser().parse(raw);
  }

  /**
   * Parses an already read JSON object.
   *
   * @throws HyperparameterException if {@code node} is not a JSON object, or lists violations
   */
  public static Hyperparameters parse(JsonNode node) {
    try {
      return parse(toRawMap(node));
    } catch (UnusableJson e) {
      throw new HyperparameterException(List.of("hyperparameters " + e.getMessage()));
    }
  }

  /** Parses a JSON object held in {@code json}. */
  public static Hyperparameters parseJson(String json) {
    return parse(readJsonObject(json));
  }

  /** Parses the JSON object in {@code file}. */
  public static Hyperparameters parseFile(Path file) {
    return parse(readFile(file));
  }

  /** Parses the JSON object in {@code file} after replacing values with {@code overrides}. */
  public static Hyperparameters parseFile(Path file, Map<String, String> overrides) {
    return parse(withOverrides(readFile(file), overrides));
  }

  /**
   * A copy of {@code base} in which each key of {@code overrides} (e.g. from {@code --set
   * key=value}) replaces or adds the value; validation happens later, on the merged map.
   */
  public static Map<String, Object> withOverrides(
      Map<String, ?> base, Map<String, String> overrides) {
    Map<String, Object> merged = new LinkedHashMap<>(base);
    merged.putAll(overrides);
    return merged;
  }

  /**
   * The raw key-value map of the JSON object in {@code json}: strings stay strings, numbers become
   * {@link java.math.BigInteger} or {@link BigDecimal} (so {@code 1e309} stays visible as such),
   * booleans {@link Boolean}.
   *
   * @throws HyperparameterException if the text is not valid JSON or not a JSON object
   */
  public static Map<String, Object> readJsonObject(String json) {
    try {
      return toRawMap(readTree(json));
    } catch (JsonProcessingException e) {
      throw new HyperparameterException(List.of("hyperparameters: " + describe(e)));
    } catch (UnusableJson e) {
      throw new HyperparameterException(List.of("hyperparameters " + e.getMessage()));
    }
  }

  /**
   * The raw key-value map of the JSON object in {@code file}, as for {@link #readJsonObject}.
   *
   * @throws HyperparameterFileException if the file is missing, unreadable, not valid JSON or not
   *     a JSON object; the message names the file
   */
  public static Map<String, Object> readFile(Path file) {
    String text;
    try {
      text = BoundedText.readUtf8(file, MAX_FILE_BYTES);
    } catch (NoSuchFileException e) {
      throw new HyperparameterFileException(file, "file not found", e);
    } catch (BoundedText.InputTooLargeException | BoundedText.InvalidUtf8Exception e) {
      throw new HyperparameterFileException(file, e.getMessage(), e);
    } catch (IOException e) {
      throw new HyperparameterFileException(file, "cannot read: " + IoReasons.of(e), e);
    }
    try {
      return toRawMap(readTree(text));
    } catch (JsonProcessingException e) {
      throw new HyperparameterFileException(file, describe(e), e);
    } catch (UnusableJson e) {
      throw new HyperparameterFileException(file, e.getMessage(), e);
    }
  }

  /** Every catalog key with its resolved value in SageMaker's string form, sorted by key. */
  public static SortedMap<String, String> toCanonicalMap(Hyperparameters hp) {
    if (hp.enc1IsEnc0() && !hp.enc0().equals(hp.enc1())) {
      throw new IllegalStateException("enc1IsEnc0 but the encoders differ: " + hp);
    }
    SortedMap<String, String> map = new TreeMap<>();
    putEncoder(map, 0, hp.enc0());
    putEncoder(map, 1, hp.enc1());
    if (hp.enc1IsEnc0()) {
      map.put("enc1_network", HyperparameterCatalog.ENC1_SAME_AS_ENC0);
    }
    map.put("enc_dim", Integer.toString(hp.encDim()));
    map.put("comparator_list",
        hp.comparators().stream().map(ComparatorOp::key).collect(Collectors.joining(", ")));
    map.put("mlp_layers", Integer.toString(hp.mlpLayers()));
    map.put("mlp_dim", Integer.toString(hp.mlpDim()));
    map.put("mlp_activation", hp.mlpActivation().key());
    map.put("output_layer", hp.outputLayer().key());
    map.put("num_classes", Integer.toString(hp.numClasses()));
    map.put("dropout", formatFloat(hp.dropout()));
    map.put("tied_token_embedding_weight", formatBoolean(hp.tiedTokenEmbedding()));
    map.put("token_embedding_storage_type", hp.embeddingStorage().key());
    map.put("optimizer", hp.optimizer().key());
    map.put("learning_rate", formatFloat(hp.learningRate()));
    map.put("weight_decay", formatFloat(hp.weightDecay()));
    map.put("mini_batch_size", Integer.toString(hp.miniBatchSize()));
    map.put("epochs", Integer.toString(hp.epochs()));
    map.put("early_stopping_patience", Integer.toString(hp.earlyStoppingPatience()));
    map.put("early_stopping_tolerance", formatFloat(hp.earlyStoppingTolerance()));
    map.put("negative_sampling_rate", Integer.toString(hp.negativeSamplingRate()));
    map.put("bucket_width", Integer.toString(hp.bucketWidth()));
    if (!map.keySet().equals(new HashSet<>(HyperparameterCatalog.names()))) {
      throw new IllegalStateException("canonical map keys differ from the catalog");
    }
    return map;
  }

  /**
   * The canonical map as a pretty-printed JSON object: what a model directory and a checkpoint
   * record. It is checked to parse back to an equal value without a warning, so whatever is
   * recorded loads again; a rule that broke this fails here, before any training time is spent.
   *
   * @throws IllegalStateException if the recorded form would not load back equal
   */
  public static String toCanonicalJson(Hyperparameters hp) {
    SortedMap<String, String> map = toCanonicalMap(hp);
    requireRoundTrip(hp, map);
    try {
      return JSON.writeValueAsString(map);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a map of strings always serialises", e);
    }
  }

  /**
   * Parses what a model directory or a checkpoint recorded, without logging warnings (they were
   * logged when the model was trained).
   *
   * @throws HyperparameterException listing every violation
   */
  public static Hyperparameters parseRecorded(String json) {
    return new HyperparameterParser(warning -> {}).parse(readJsonObject(json));
  }

  private static void requireRoundTrip(Hyperparameters hp, SortedMap<String, String> map) {
    List<String> warnings = new ArrayList<>();
    Hyperparameters again;
    try {
      again = new HyperparameterParser(warnings::add).parse(map);
    } catch (HyperparameterException e) {
      throw new IllegalStateException(
          "the recorded hyperparameters would not load again: " + e.getMessage(), e);
    }
    if (!again.equals(hp) || !warnings.isEmpty()) {
      throw new IllegalStateException(
          "the recorded hyperparameters would load as " + again + " with warnings " + warnings
              + ", not as " + hp);
    }
  }

  /** A float in plain decimal form without trailing zeros, exact enough to parse back equal. */
  static String formatFloat(double value) {
    return new BigDecimal(Double.toString(value)).stripTrailingZeros().toPlainString();
  }

  /** A boolean as SageMaker writes it: {@code True} or {@code False}. */
  static String formatBoolean(boolean value) {
    return value ? "True" : "False";
  }

  private static void putEncoder(Map<String, String> map, int side, EncoderSpec spec) {
    map.put(EncoderResolver.key(side, "network"), spec.network().key());
    map.put(EncoderResolver.key(side, "vocab_size"), Integer.toString(spec.vocabSize()));
    map.put(EncoderResolver.key(side, "max_seq_len"), Integer.toString(spec.maxSeqLen()));
    map.put(EncoderResolver.key(side, "token_embedding_dim"),
        Integer.toString(spec.tokenEmbeddingDim()));
    map.put(EncoderResolver.key(side, "layers"), Integer.toString(spec.layers()));
    map.put(EncoderResolver.key(side, "cnn_filter_width"), Integer.toString(spec.cnnFilterWidth()));
    map.put(EncoderResolver.key(side, "pretrained_embedding_file"),
        spec.pretrainedEmbeddingFile().orElse(""));
    map.put(EncoderResolver.key(side, "vocab_file"), spec.vocabFile().orElse(""));
    map.put(EncoderResolver.key(side, "freeze_pretrained_embedding"),
        formatBoolean(spec.freezePretrainedEmbedding()));
  }

  /**
   * The JSON tree of {@code text}. Jackson reports a number whose exponent does not fit a
   * BigDecimal ({@code 1e2147483648}) with a bare NumberFormatException; that is bad input too.
   */
  private static JsonNode readTree(String text) throws JsonProcessingException {
    try {
      return JSON.readTree(text);
    } catch (NumberFormatException e) {
      throw new UnusableJson(
          "must hold numbers a decimal can represent: " + ValueParser.printable(
              String.valueOf(e.getMessage()).replaceAll("\\s+", " ")));
    }
  }

  private static Map<String, Object> toRawMap(JsonNode root) {
    if (root == null || root.isMissingNode()) {
      throw new UnusableJson("must be a JSON object, found no content");
    }
    if (!root.isObject()) {
      throw new UnusableJson(
          "must be a JSON object, found " + root.getNodeType().name().toLowerCase(Locale.ROOT));
    }
    Map<String, Object> raw = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      raw.put(field.getKey(), rawValue(field.getValue()));
    }
    return raw;
  }

  private static Object rawValue(JsonNode node) {
    if (node.isTextual()) {
      return node.textValue();
    }
    if (node.isBoolean()) {
      return node.booleanValue();
    }
    if (node.isIntegralNumber()) {
      return node.bigIntegerValue();
    }
    if (node.isNumber()) {
      return node.decimalValue();
    }
    // null, arrays and objects stay as they are; the value parser reports them as invalid.
    return node.isNull() ? null : node;
  }

  private static String describe(JsonProcessingException e) {
    String where =
        e.getLocation() == null
            ? ""
            : String.format(Locale.ROOT, "line %d, column %d: ",
                e.getLocation().getLineNr(), e.getLocation().getColumnNr());
    return where + "invalid JSON: " + JsonProblems.reason(e);
  }

  /** Thrown inside this class for JSON that is not a usable object; mapped to the public types. */
  private static final class UnusableJson extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UnusableJson(String message) {
      super(message);
    }
  }
}
