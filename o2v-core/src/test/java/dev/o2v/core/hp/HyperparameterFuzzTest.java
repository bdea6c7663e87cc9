package dev.o2v.core.hp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.o2v.core.fuzz.Mutations;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Random, mutated and adversarial hyperparameter inputs: every one must parse to a value that
 * survives the canonical round trip, or fail with a {@link HyperparameterException} whose
 * violations are single, bounded lines naming where the problem is.
 */
class HyperparameterFuzzTest {

  /** Longest violation line accepted; long enough for any rule, short enough for a terminal. */
  private static final int MAX_VIOLATION_CHARS = 600;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration BUDGET = Duration.ofSeconds(60);

  @TempDir Path dir;

  /** A JSON value written as is, e.g. {@code 1e309} or {@code [[1]]}. */
  private record Raw(String text) {}

  /** Valid and invalid outcomes of one fuzz target. */
  private static final class Tally {
    int valid;
    int invalid;

    void print(String target) {
      System.out.printf(Locale.ROOT, "fuzz %s: %d cases, %d valid, %d rejected%n",
          target, valid + invalid, valid, invalid);
    }
  }

  @Test
  void randomHyperparameterObjectsParseOrListOneLineViolations() {
    Tally tally = new Tally();
    SplittableRandom random = new SplittableRandom(20240601L);
    assertTimeoutPreemptively(BUDGET, () -> {
      for (int i = 0; i < 1000; i++) {
        Map<String, Object> raw = randomObject(random);
        String text = toJson(raw);
        check(tally, text, () -> HyperparameterCodec.parseJson(text), null);
        check(tally, text, () -> HyperparameterCodec.parse(toJavaValues(raw)), null);
      }
    });
    tally.print("hyperparameter objects (JSON text and map)");
    assertTrue(tally.valid > 100, "too few valid cases to mean anything: " + tally.valid);
  }

  @Test
  void mutatedHyperparameterFilesParseOrFailNamingTheFile() throws IOException {
    Tally tally = new Tally();
    SplittableRandom random = new SplittableRandom(7L);
    Path file = dir.resolve("hp.json");
    assertTimeoutPreemptively(BUDGET, () -> {
      for (int i = 0; i < 1000; i++) {
        byte[] bytes = Mutations.mutate(
            toJson(randomValidObject(random)).getBytes(StandardCharsets.UTF_8), 3, random);
        String shown = new String(bytes, StandardCharsets.UTF_8);
        if (i % 5 == 0) {
          // Through a real file every few cases: the bytes reach the decoder undecoded.
          Files.write(file, bytes);
          check(tally, shown, () -> HyperparameterCodec.parseFile(file), file);
        }
        check(tally, shown, () -> HyperparameterCodec.parseJson(shown), null);
      }
      for (int i = 0; i < 100; i++) {
        byte[] bytes = Mutations.noise(random.nextInt(200), random);
        Files.write(file, bytes);
        check(tally, "binary noise #" + i, () -> HyperparameterCodec.parseFile(file), file);
      }
    });
    tally.print("mutated hyperparameter files");
  }

  @Test
  void adversarialTextsFailWithOneLineViolations() {
    Tally tally = new Tally();
    List<String> texts = new ArrayList<>();
    texts.add(Mutations.repeat("[", 100_000));
    texts.add(Mutations.repeat("{\"a\":", 100_000));
    texts.add("{\"enc_dim\": " + Mutations.repeat("[", 100_000) + "}");
    texts.add(minimalWith("\"enc_dim\": " + "9".repeat(5000)));
    texts.add(minimalWith("\"dropout\": 0." + "1".repeat(5000)));
    texts.add(minimalWith("\"learning_rate\": \"1e-999999999\""));
    texts.add(minimalWith("\"enc_dim\": \"1e999999999\""));
    texts.add(minimalWith("\"enc_dim\": \"1E2147483648\""));
    texts.add(minimalWith("\"epochs\": 1e309"));
    texts.add(minimalWith("\"dropout\": 1E2147483648"));
    texts.add(minimalWith("\"dropout\": -0.5e-2147483649"));
    texts.add(minimalWith("\"dropout\": NaN"));
    texts.add(minimalWith("\"dropout\": \"NaN\""));
    texts.add(minimalWith("\"dropout\": \"Infinity\""));
    texts.add(minimalWith("\"optimizer\": \"" + "a".repeat(1_000_000) + "\""));
    texts.add(minimalWith("\"" + "k".repeat(1_000_000) + "\": 1"));
    texts.add(minimalWith("\"optimizer\": \"ad\\nam\""));
    texts.add(minimalWith("\"bad\\r\\nkey\": 1"));
    texts.add(minimalWith("\"comparator_list\": \"hadamard,\\u0000concat\""));
    texts.add(minimalWith("\"enc0_vocab_file\": \"a\\u2028b\""));
    texts.add(minimalWith("\"enc_dim\": [" + "1,".repeat(100_000) + "1]"));
    texts.add(minimalWith("\"enc_dim\": {\"x\": \"" + "y".repeat(100_000) + "\"}"));
    texts.add("");
    texts.add("\uFEFF{}");
    texts.add("{\"enc0_vocab_size\": 2, \"enc0_vocab_size\": 3, \"enc0_max_seq_len\": 1}");
    texts.add("{} {}");
    assertTimeoutPreemptively(BUDGET, () -> {
      for (String text : texts) {
        check(tally, text, () -> HyperparameterCodec.parseJson(text), null);
      }
    });
    tally.print("adversarial hyperparameter texts");
    assertEquals(texts.size(), tally.invalid, "every adversarial text is invalid");
  }

  @Test
  void javaValuesThatJsonCannotHoldAreViolations() {
    // No JSON text holds these: every key must refuse them, whatever its type. A round trip
    // alone would not notice an accepted NaN, which equals itself under Double.equals.
    Object[] notJson = {
      Double.NaN, Float.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
      Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, new Object()
    };
    for (HyperparameterKey key : HyperparameterCatalog.keys()) {
      for (Object value : notJson) {
        Map<String, Object> raw = HpFixtures.with(HpFixtures.minimal(), key.name(), value);
        Tally one = new Tally();
        check(one, key.name() + "=" + value, () -> HyperparameterCodec.parse(raw), null);
        assertEquals(1, one.invalid, () -> key.name() + "=" + value + " was accepted");
      }
    }
  }

  @Test
  void unusualJavaValuesAreViolationsOrRoundTrip() {
    Tally tally = new Tally();
    Object[] values = {
      -0.0, Long.MAX_VALUE, new BigDecimal("1e999999999"), new BigDecimal("1e-999999999"),
      BigInteger.TEN.pow(5000), List.of(1, 2), Map.of("a", 1), 'x', (byte) 4
    };
    for (HyperparameterKey key : HyperparameterCatalog.keys()) {
      for (Object value : values) {
        Map<String, Object> raw = HpFixtures.with(HpFixtures.minimal(), key.name(), value);
        check(tally, key.name() + "=" + value, () -> HyperparameterCodec.parse(raw), null);
      }
    }
    tally.print("java-valued hyperparameter maps");
  }

  // ---- the property ------------------------------------------------------------------------

  private static void check(Tally tally, String input, Supplier<Hyperparameters> parse, Path file) {
    try {
      Hyperparameters hp = parse.get();
      Hyperparameters again = HyperparameterCodec.parse(hp.toCanonicalMap());
      assertEquals(hp, again, () -> "canonical round trip changed the value of " + shown(input));
      tally.valid++;
    } catch (HyperparameterException e) {
      for (String violation : e.violations()) {
        assertOneLineWithLocation(violation, input, file);
      }
      tally.invalid++;
    } catch (RuntimeException | Error e) {
      throw new AssertionError("unexpected " + e + " for input " + shown(input), e);
    }
  }

  private static void assertOneLineWithLocation(String violation, String input, Path file) {
    String context = "violation '" + shown(violation) + "' for input " + shown(input);
    assertTrue(!violation.isBlank(), () -> "blank " + context);
    assertTrue(violation.indexOf('\n') < 0 && violation.indexOf('\r') < 0
            && violation.indexOf('\u2028') < 0 && violation.indexOf('\u2029') < 0,
        () -> "multi-line " + context);
    assertTrue(violation.length() <= MAX_VIOLATION_CHARS,
        () -> violation.length() + " chars in " + context);
    boolean located =
        (file != null && violation.startsWith(file.toString()))
            || violation.startsWith("hyperparameters")
            || violation.startsWith("unknown key")
            || HyperparameterCatalog.names().stream().anyMatch(violation::contains);
    assertTrue(located, () -> "no key, file or position named in " + context);
  }

  // ---- generators --------------------------------------------------------------------------

  private static Map<String, Object> randomObject(SplittableRandom random) {
    Map<String, Object> raw = new LinkedHashMap<>();
    if (random.nextInt(10) > 0) {
      raw.put("enc0_max_seq_len",
          validValue(HyperparameterCatalog.get("enc0_max_seq_len"), random));
      raw.put("enc0_vocab_size", validValue(HyperparameterCatalog.get("enc0_vocab_size"), random));
    }
    int extra = random.nextInt(12);
    List<HyperparameterKey> keys = HyperparameterCatalog.keys();
    for (int i = 0; i < extra; i++) {
      HyperparameterKey key = keys.get(random.nextInt(keys.size()));
      int kind = random.nextInt(10);
      Object value = kind < 7 ? validValue(key, random)
          : kind < 9 ? edgeValue(key, random) : adversarialValue(random);
      raw.put(key.name(), value);
    }
    if (random.nextInt(20) == 0) {
      raw.put(random.nextBoolean() ? "_tuning_objective_metric" : "enc_dimm", "1");
    }
    return raw;
  }

  /** A random object that parses, so that mutations start from a file a user could have. */
  private static Map<String, Object> randomValidObject(SplittableRandom random) {
    while (true) {
      Map<String, Object> raw = randomObject(random);
      try {
        HyperparameterCodec.parseJson(toJson(raw));
        return raw;
      } catch (HyperparameterException e) {
        // Draw again.
      }
    }
  }

  private static Object validValue(HyperparameterKey key, SplittableRandom random) {
    switch (key.type()) {
      case INT:
      case LAYERS: {
        if (key.type() == HyperparameterType.LAYERS && random.nextInt(4) == 0) {
          return random.nextBoolean() ? "auto" : "AUTO";
        }
        long min = key.min().longValueExact();
        long max = Math.min(key.max().longValueExact(), min + (random.nextBoolean() ? 20 : 5000));
        long n = min + random.nextLong(max - min + 1);
        return random.nextBoolean() ? Long.toString(n) : BigInteger.valueOf(n);
      }
      case FLOAT: {
        double min = key.min().doubleValue();
        double max = Math.min(key.max().doubleValue(), 1.0);
        BigDecimal x = BigDecimal.valueOf(min + random.nextDouble() * (max - min));
        return random.nextBoolean() ? x.toString() : x;
      }
      case BOOLEAN:
        return random.nextBoolean()
            ? random.nextBoolean()
            : (random.nextBoolean() ? "True" : "false");
      case ENUM: {
        String choice = key.choices().get(random.nextInt(key.choices().size()));
        return random.nextBoolean() ? choice : choice.toUpperCase(Locale.ROOT);
      }
      case FILE_NAME:
        return random.nextBoolean() ? "" : "vocab_" + random.nextInt(10) + ".json";
      case COMPARATOR_LIST: {
        List<String> ops = new ArrayList<>(key.choices());
        java.util.Collections.shuffle(ops, new java.util.Random(random.nextLong()));
        return String.join(random.nextBoolean() ? ", " : ",",
            ops.subList(0, 1 + random.nextInt(ops.size())));
      }
      default:
        throw new IllegalStateException("unknown type " + key.type());
    }
  }

  private static Object edgeValue(HyperparameterKey key, SplittableRandom random) {
    Object[] common = {"", " ", null, true, "1.0", "1.5", "-1", "0", "auto", "enc0", "hcnn,"};
    if (key.min() != null && random.nextBoolean()) {
      BigDecimal[] bounds = {
        key.min(), key.max(), key.min().subtract(BigDecimal.ONE), key.max().add(BigDecimal.ONE),
        key.max().add(new BigDecimal("0.5")), key.min().subtract(new BigDecimal("1e-9"))
      };
      BigDecimal b = bounds[random.nextInt(bounds.length)];
      return random.nextBoolean() ? b : " " + b.toPlainString() + " ";
    }
    return common[random.nextInt(common.length)];
  }

  private static Object adversarialValue(SplittableRandom random) {
    switch (random.nextInt(8)) {
      case 0:
        return new Raw(new String(Mutations.extremeNumber(random), StandardCharsets.US_ASCII)
            .replaceAll("^(NaN|-?Infinity|0x10|--1|1e|1\\.|00|\\.5)$", "\"$1\""));
      case 1:
        return "line\nbreak\tand\u0000control";
      case 2:
        return "x".repeat(1 + random.nextInt(20_000));
      case 3:
        return new Raw("[" + "[".repeat(random.nextInt(50)) + "1" + "]".repeat(0) + "]");
      case 4:
        return new Raw("{\"a\": [1, {\"b\": null}]}");
      case 5:
        return new String(Mutations.noise(1 + random.nextInt(30), random),
            StandardCharsets.ISO_8859_1);
      case 6:
        return "\u202Eadam\u2028";
      default:
        return new Raw("null");
    }
  }

  // ---- serialisation -----------------------------------------------------------------------

  private static String minimalWith(String member) {
    return "{\"enc0_max_seq_len\": 5, \"enc0_vocab_size\": 10, " + member + "}";
  }

  private static String toJson(Map<String, Object> raw) {
    StringBuilder out = new StringBuilder("{");
    for (Map.Entry<String, Object> e : raw.entrySet()) {
      if (out.length() > 1) {
        out.append(", ");
      }
      out.append(quote(e.getKey())).append(": ").append(valueJson(e.getValue()));
    }
    return out.append('}').toString();
  }

  private static String valueJson(Object value) {
    if (value instanceof Raw r) {
      // Unbalanced nesting from the generator is closed so the text stays well formed JSON.
      long open = r.text().chars().filter(c -> c == '[').count();
      long close = r.text().chars().filter(c -> c == ']').count();
      return r.text() + "]".repeat((int) Math.max(0, open - close));
    }
    if (value instanceof String s) {
      return quote(s);
    }
    return String.valueOf(value);
  }

  private static Map<String, Object> toJavaValues(Map<String, Object> raw) {
    Map<String, Object> out = new LinkedHashMap<>();
    raw.forEach((k, v) -> out.put(k, v instanceof Raw r ? r.text() : v));
    return out;
  }

  private static String quote(String s) {
    try {
      return JSON.writeValueAsString(s);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String shown(String s) {
    String escaped = s.replace("\n", "\\n").replace("\r", "\\r");
    return escaped.length() <= 300 ? escaped : escaped.substring(0, 300) + "...(" + s.length()
        + " chars)";
  }
}
