package dev.o2v.core.hp;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Validates a raw hyperparameter map against the {@link HyperparameterCatalog} and resolves it
 * into an immutable {@link Hyperparameters}, reporting every violation at once.
 *
 * <p>Raw values are strings in SageMaker's form ({@code "30"}, {@code "True"}, {@code "auto"}) or
 * JSON-like numbers and booleans; surrounding whitespace in strings is ignored. Keys starting
 * with {@code _} are SageMaker-internal and are skipped with one WARN line.
 */
public final class HyperparameterParser {

  private static final Logger LOG = LoggerFactory.getLogger(HyperparameterParser.class);

  private final Consumer<String> warnings;

  /** A parser whose warnings go to the SLF4J log at WARN level. */
  public HyperparameterParser() {
    this(LOG::warn);
  }

  /** A parser that sends each warning line to {@code warnings} (tests capture them this way). */
  public HyperparameterParser(Consumer<String> warnings) {
    this.warnings = Objects.requireNonNull(warnings, "warnings");
  }

  /**
   * Parses and validates {@code raw}. Warnings are emitted only when the result is returned, so a
   * failed parse shows just its violations.
   *
   * @throws HyperparameterException listing every violation, when there is at least one
   */
  public Hyperparameters parse(Map<String, ?> raw) {
    List<String> violations = new ArrayList<>();
    List<String> pendingWarnings = new ArrayList<>();
    ParsedValues values = readGivenKeys(raw, violations, pendingWarnings);
    for (HyperparameterKey key : HyperparameterCatalog.keys()) {
      if (values.isGiven(key.name())) {
        continue;
      }
      if (key.requirement() == Requirement.REQUIRED) {
        violations.add(
            key.name() + " must be set (" + key.typeAndRange() + "), found nothing");
      } else if (key.defaultValue() != null) {
        values.putDefault(key.name(), parseDefault(key));
      }
    }
    EncoderResolver.Resolved encoders =
        new EncoderResolver(values, violations::add, pendingWarnings::add).resolve().orElse(null);
    checkRowSparseOptimizer(values, violations);
    if (!violations.isEmpty()) {
      throw new HyperparameterException(violations);
    }
    if (encoders == null) {
      throw new IllegalStateException("encoders unresolved without a violation");
    }
    Hyperparameters result = assemble(values, encoders, pendingWarnings);
    pendingWarnings.forEach(warnings);
    return result;
  }

  private static ParsedValues readGivenKeys(
      Map<String, ?> raw, List<String> violations, List<String> warnings) {
    ParsedValues values = new ParsedValues();
    List<String> internal = new ArrayList<>();
    // Sorted so violations come out in the same order for the same input.
    for (Map.Entry<String, ?> entry : new TreeMap<String, Object>(raw).entrySet()) {
      String name = entry.getKey();
      if (name.startsWith("_")) {
        internal.add(name);
        continue;
      }
      HyperparameterKey key = HyperparameterCatalog.find(name).orElse(null);
      if (key == null) {
        violations.add(
            "unknown key '" + ValueParser.printable(name) + "'"
                + HyperparameterCatalog.suggest(name)
                    .map(near -> "; did you mean '" + near + "'?")
                    .orElse(""));
        continue;
      }
      List<String> keyViolations = new ArrayList<>();
      Object typed = ValueParser.parse(key, entry.getValue(), keyViolations::add);
      Integer whole = ValueParser.wholeNumber(entry.getValue());
      if (typed == null && whole != null && EncoderResolver.isTokenDim(name)) {
        // Possibly a pooled_embedding token dim equal to enc_dim, as a model directory records
        // it; the encoder rules decide once the network and enc_dim are known.
        values.putOutOfRange(name, entry.getValue(), whole, keyViolations.get(0));
        continue;
      }
      violations.addAll(keyViolations);
      values.putGiven(name, entry.getValue(), typed);
    }
    if (!internal.isEmpty()) {
      warnings.add("ignoring SageMaker-internal hyperparameters " + String.join(", ", internal));
    }
    return values;
  }

  private static Object parseDefault(HyperparameterKey key) {
    return ValueParser.parse(key, key.defaultValue(), violation -> {
      throw new IllegalStateException("catalog default rejected: " + violation);
    });
  }

  private static void checkRowSparseOptimizer(ParsedValues values, List<String> violations) {
    if (isRowSparse(values) && values.has("optimizer")) {
      OptimizerKind optimizer =
          named(OptimizerKind.values(), OptimizerKind::key, values.textOf("optimizer"));
      if (!optimizer.supportsRowSparse()) {
        violations.add(
            "optimizer must be adam, adagrad or sgd when token_embedding_storage_type is"
                + " row_sparse, found " + optimizer.key());
      }
    }
  }

  private static boolean isRowSparse(ParsedValues values) {
    return values.has("token_embedding_storage_type")
        && values.textOf("token_embedding_storage_type").equals(EmbeddingStorage.ROW_SPARSE.key());
  }

  private static Hyperparameters assemble(
      ParsedValues v, EncoderResolver.Resolved encoders, List<String> warnings) {
    int bucketWidth = v.intOf("bucket_width");
    if (isRowSparse(v) && bucketWidth > 0) {
      warnings.add(
          "row_sparse token embeddings turn bucketing off; using bucket_width=0 (not "
              + bucketWidth + ")");
      bucketWidth = 0;
    }
    return new Hyperparameters(
        v.intOf("enc_dim"),
        encoders.enc0(),
        encoders.enc1(),
        encoders.enc1IsEnc0(),
        v.comparatorsOf("comparator_list"),
        v.intOf("mlp_layers"),
        v.intOf("mlp_dim"),
        named(MlpActivation.values(), MlpActivation::key, v.textOf("mlp_activation")),
        named(OutputLayer.values(), OutputLayer::key, v.textOf("output_layer")),
        v.intOf("num_classes"),
        v.doubleOf("dropout"),
        v.boolOf("tied_token_embedding_weight"),
        named(EmbeddingStorage.values(), EmbeddingStorage::key,
            v.textOf("token_embedding_storage_type")),
        named(OptimizerKind.values(), OptimizerKind::key, v.textOf("optimizer")),
        v.doubleOf("learning_rate"),
        v.doubleOf("weight_decay"),
        v.intOf("mini_batch_size"),
        v.intOf("epochs"),
        v.intOf("early_stopping_patience"),
        v.doubleOf("early_stopping_tolerance"),
        v.intOf("negative_sampling_rate"),
        bucketWidth);
  }

  /** The enum constant whose key is {@code text}; the catalog only lets valid keys through. */
  static <E> E named(E[] constants, Function<E, String> key, String text) {
    for (E constant : constants) {
      if (key.apply(constant).equals(text)) {
        return constant;
      }
    }
    throw new IllegalStateException("catalog allowed unknown value " + text);
  }
}
