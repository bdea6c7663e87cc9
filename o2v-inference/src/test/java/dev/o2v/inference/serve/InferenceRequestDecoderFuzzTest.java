package dev.o2v.inference.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.o2v.core.fuzz.Mutations;
import dev.o2v.inference.InferenceFormat;
import dev.o2v.inference.InferenceInstance;
import dev.o2v.inference.InferenceRequestDecoder;
import dev.o2v.inference.InferenceRequestException;
import dev.o2v.inference.TruncationLengths;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Random, mutated and adversarial request bodies and {@code Content-Type} headers: each one
 * decodes to instances that obey the vocabulary and emptiness rules, or fails with the decoder's
 * typed one-line {@link InferenceRequestException}; never another exception, never a hang.
 */
class InferenceRequestDecoderFuzzTest {

  private static final int VOCAB0 = 50;
  private static final int VOCAB1 = 30;
  private static final int MAX_MESSAGE_CHARS = 300;
  private static final Duration BUDGET = Duration.ofSeconds(60);
  private static final InferenceRequestDecoder DECODER =
      new InferenceRequestDecoder(VOCAB0, VOCAB1);

  private static final String[] VALID_JSON = {
    "{\"instances\": [{\"in0\": [1, 2, 3], \"in1\": [4, 29]}]}",
    "{\"instances\": [{\"in0\": [49]}, {\"in1\": [0, 0]}, {\"in0\": [7], \"in1\": [8]}]}",
    "{\"other\": {\"x\": [1, {\"y\": null}]}, \"instances\": [{\"in1\": [5], \"extra\": true}]}",
  };

  private static final String[] VALID_JSONLINES = {
    "{\"in0\": [1, 2, 3], \"in1\": [4, 29]}\n{\"in0\": [5]}\n",
    "\n  \n{\"in1\": [0]}\r\n{\"in0\": [49, 48], \"note\": \"x\"}",
  };

  /** Outcomes of one fuzz target. */
  private static final class Tally {
    int decoded;
    int rejected;

    void print(String target) {
      System.out.printf(Locale.ROOT, "fuzz %s: %d cases, %d decoded, %d rejected%n",
          target, decoded + rejected, decoded, rejected);
    }
  }

  @Test
  void mutatedValidBodiesDecodeOrFailWithOneLineErrors() {
    Tally json = new Tally();
    Tally lines = new Tally();
    SplittableRandom random = new SplittableRandom(11L);
    assertTimeoutPreemptively(BUDGET, () -> {
      for (int i = 0; i < 1500; i++) {
        byte[] seed = bytes(VALID_JSON[random.nextInt(VALID_JSON.length)]);
        check(json, Mutations.mutate(seed, 4, random), InferenceFormat.JSON);
        byte[] lineSeed = bytes(VALID_JSONLINES[random.nextInt(VALID_JSONLINES.length)]);
        check(lines, Mutations.mutate(lineSeed, 4, random), InferenceFormat.JSONLINES);
      }
    });
    json.print("mutated application/json bodies");
    lines.print("mutated application/jsonlines bodies");
    assertTrue(json.decoded > 20, "too few mutants still decode to mean anything: " + json.decoded);
    assertTrue(lines.rejected > 50, "too few mutants were rejected: " + lines.rejected);
  }

  @Test
  void everyTruncationOfValidBodiesDecodesOrFailsCleanly() {
    Tally tally = new Tally();
    assertTimeoutPreemptively(BUDGET, () -> {
      for (String body : VALID_JSON) {
        byte[] full = bytes(body);
        for (int cut = 0; cut <= full.length; cut++) {
          check(tally, java.util.Arrays.copyOf(full, cut), InferenceFormat.JSON);
        }
      }
      for (String body : VALID_JSONLINES) {
        byte[] full = bytes(body);
        for (int cut = 0; cut <= full.length; cut++) {
          check(tally, java.util.Arrays.copyOf(full, cut), InferenceFormat.JSONLINES);
        }
      }
    });
    tally.print("truncated bodies (both formats)");
    assertTrue(tally.decoded > 0 && tally.rejected > 100,
        "truncations should both decode (whole lines) and fail: " + tally.decoded + "/"
            + tally.rejected);
  }

  @Test
  void binaryNoiseAndInvalidUtf8FailCleanly() {
    Tally tally = new Tally();
    SplittableRandom random = new SplittableRandom(12L);
    assertTimeoutPreemptively(BUDGET, () -> {
      for (int i = 0; i < 500; i++) {
        byte[] noise = Mutations.noise(random.nextInt(200), random);
        check(tally, noise, InferenceFormat.JSON);
        check(tally, noise, InferenceFormat.JSONLINES);
      }
      byte[][] badUtf8 = {
        {(byte) 0x80}, {(byte) 0xC0, (byte) 0xAF}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
        {(byte) 0xFF, (byte) 0xFE}, {(byte) 0xFE, (byte) 0xFF}, {0, 0, 0, '{'},
        {0, 0, (byte) 0xFE, (byte) 0xFF}, {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, {0, '{'},
      };
      for (byte[] bad : badUtf8) {
        for (String body : List.of(VALID_JSON[0], VALID_JSONLINES[0])) {
          byte[] valid = bytes(body);
          for (int at : new int[] {0, 1, valid.length / 2, valid.length}) {
            byte[] withBad = insert(valid, at, bad);
            check(tally, withBad, InferenceFormat.JSON);
            check(tally, withBad, InferenceFormat.JSONLINES);
          }
        }
      }
    });
    tally.print("binary noise and invalid UTF-8");
    assertTrue(tally.rejected > 900, "noise should be rejected: " + tally.rejected);
  }

  @Test
  void adversarialBodiesFailCleanlyOrDecodeWithinTheRules() {
    Tally tally = new Tally();
    List<String> bodies = new ArrayList<>(List.of(
        "", " ", "\n\n", "null", "[]", "{}", "[{\"in0\": [1]}]", "{\"instances\": []}",
        "{\"instances\": null}", "{\"instances\": {}}", "{\"instances\": [[1, 2]]}",
        "{\"instances\": [{}]}", "{\"instances\": [{\"in0\": []}]}",
        "{\"instances\": [{\"in0\": \"1 2\"}]}", "{\"instances\": [{\"in0\": [\"1\"]}]}",
        "{\"instances\": [{\"in0\": [null]}]}", "{\"instances\": [{\"in0\": [true]}]}",
        "{\"instances\": [{\"in0\": [[1]]}]}", "{\"instances\": [{\"in0\": [1.5]}]}",
        "{\"instances\": [{\"in0\": [-0]}]}", "{\"instances\": [{\"in0\": [1e309]}]}",
        "{\"instances\": [{\"in0\": [99999999999999999999]}]}",
        "{\"instances\": [{\"in0\": [2147483648]}]}", "{\"instances\": [{\"in0\": [-1]}]}",
        "{\"instances\": [{\"in0\": [NaN]}]}", "{\"instances\": [{\"in0\": [Infinity]}]}",
        "{\"instances\": [{\"in0\": [-Infinity]}]}", "{\"instances\": [{\"in0\": [50]}]}",
        "{\"instances\": [{\"in1\": [30]}]}", "{\"instances\": [{\"in0\": [1], \"in0\": [2]}]}",
        "{\"instances\": [{\"in0\": [1]}], \"instances\": [{\"in0\": [1]}]}",
        "{\"instances\": [{\"in0\": [1]}]} {}", "{\"instances\": [{\"in0\": [1]}]}]",
        "{\"instances\": [{\"in0\": [0" + "0".repeat(5000) + "]}]}",
        "{\"instances\": [{\"in0\": [1" + "0".repeat(5000) + "]}]}",
        "{\"instances\": [{\"in0\": [1e" + "9".repeat(5000) + "]}]}",
        "{\"instances\": [{\"x\": \"" + "a".repeat(100_000) + "\", \"in0\": [1]}]}",
        "{\"instances\": [{\"in0\": [1]}], \"deep\": " + "[".repeat(100_000) + "]",
        "{\"instances\": [{\"in0\": " + "[".repeat(100_000) + "1" + "]".repeat(100_000) + "}]}",
        "[".repeat(100_000), "{\"a\":".repeat(100_000), "{".repeat(100_000),
        "{\"in0\": " + "[".repeat(100_000) + "}"));
    for (String number : List.of("1e309", "99999999999999999999", "-0", "1.5", "NaN",
        "Infinity", "-1", "0x10", "1e2", "01", "+1", "1_000")) {
      bodies.add("{\"in0\": [" + number + "]}");
    }
    assertTimeoutPreemptively(BUDGET, () -> {
      for (String body : bodies) {
        check(tally, bytes(body), InferenceFormat.JSON);
        check(tally, bytes(body), InferenceFormat.JSONLINES);
      }
    });
    tally.print("adversarial bodies (both formats)");
    assertTrue(tally.decoded >= 3, "the valid adversarial bodies should decode: " + tally.decoded);
  }

  @Test
  void randomContentTypesParseOrFailWithOneLineErrors() {
    Tally tally = new Tally();
    SplittableRandom random = new SplittableRandom(13L);
    String[] types = {"application/json", "APPLICATION/JSONLINES", "application/jsonlines",
        "text/plain", "", " ", ";", ";;", "application/json;", "*/*", "application/*",
        "application/json ; charset=UTF-8", "application/json; charset=latin1", "=", "a=b"};
    String[] values = {"10,20", "1,5000", "0,1", "5001,1", "-1,2", "1", "1,2,3", ",", "", "\"3,4\"",
        "\"", "99999999999999999999,1", "1e3,2", " 7 , 8 ", "a,b", "NaN,1", "+5,+6", "0x1,2",
        "\u0000,\u0001", "1,\n2"};
    assertTimeoutPreemptively(BUDGET, () -> {
      for (int i = 0; i < 2000; i++) {
        StringBuilder header = new StringBuilder(types[random.nextInt(types.length)]);
        int parameters = random.nextInt(4);
        for (int k = 0; k < parameters; k++) {
          header.append(random.nextBoolean() ? "; " : ";");
          switch (random.nextInt(4)) {
            case 0 -> header.append("infer_max_seqlens=").append(values[random.nextInt(
                values.length)]);
            case 1 -> header.append("charset=").append(random.nextBoolean() ? "utf-8" : "x");
            case 2 -> header.append(new String(Mutations.noise(random.nextInt(12), random),
                StandardCharsets.ISO_8859_1));
            default -> header.append("INFER_MAX_SEQLENS");
          }
        }
        String text = header.toString();
        if (random.nextInt(4) == 0) {
          text = new String(Mutations.mutate(bytes(text), 3, random), StandardCharsets.UTF_8);
        }
        checkContentType(tally, text);
      }
      checkContentType(tally, null);
    });
    tally.print("Content-Type headers");
    assertTrue(tally.decoded > 100 && tally.rejected > 100,
        "both outcomes should occur: " + tally.decoded + "/" + tally.rejected);
  }

  private static void checkContentType(Tally tally, String header) {
    RequestContentType parsed;
    try {
      parsed = RequestContentType.parse(header);
    } catch (InferenceRequestException e) {
      assertOneLine(e, header);
      tally.rejected++;
      return;
    } catch (RuntimeException e) {
      throw new AssertionError("Content-Type '" + header + "' threw " + e, e);
    }
    assertNotNull(parsed.format(), header);
    parsed.maxSeqLens().ifPresent(m -> assertTrue(
        m.in0() >= TruncationLengths.MIN && m.in0() <= TruncationLengths.MAX
            && m.in1() >= TruncationLengths.MIN && m.in1() <= TruncationLengths.MAX,
        "lengths out of range for '" + header + "': " + m));
    tally.decoded++;
  }

  private static void check(Tally tally, byte[] body, InferenceFormat format) {
    if (format == InferenceFormat.JSON) {
      checkUndeclared(body);
    }
    List<InferenceInstance> instances;
    try {
      instances = DECODER.decode(body, format);
    } catch (InferenceRequestException e) {
      assertOneLine(e, shown(body));
      tally.rejected++;
      return;
    } catch (RuntimeException | StackOverflowError e) {
      throw new AssertionError(format + " body " + shown(body) + " threw " + e, e);
    }
    assertFalse(instances.isEmpty(), "decoded no instances from " + shown(body));
    for (InferenceInstance instance : instances) {
      assertTrue(instance.in0() != null || instance.in1() != null, shown(body));
      checkIds(instance.in0(), VOCAB0, body);
      checkIds(instance.in1(), VOCAB1, body);
    }
    tally.decoded++;
  }

  /**
   * A body without a declared format decodes as JSON or as JSON Lines, exactly as it would with
   * that format declared, or fails with one short line.
   */
  private static void checkUndeclared(byte[] body) {
    InferenceRequestDecoder.Decoded decoded;
    try {
      decoded = DECODER.decode(body, Optional.empty());
    } catch (InferenceRequestException e) {
      assertOneLine(e, "undeclared " + shown(body));
      return;
    } catch (RuntimeException | StackOverflowError e) {
      throw new AssertionError("undeclared body " + shown(body) + " threw " + e, e);
    }
    List<InferenceInstance> declared = DECODER.decode(body, decoded.format());
    assertEquals(declared.size(), decoded.instances().size(), shown(body));
    for (int i = 0; i < declared.size(); i++) {
      assertTrue(Arrays.equals(declared.get(i).in0(), decoded.instances().get(i).in0())
          && Arrays.equals(declared.get(i).in1(), decoded.instances().get(i).in1()),
          "instance " + i + " of " + shown(body));
    }
  }

  private static void checkIds(int[] ids, int vocab, byte[] body) {
    if (ids == null) {
      return;
    }
    for (int id : ids) {
      if (id < 0 || id >= vocab) {
        fail("id " + id + " outside [0, " + vocab + ") decoded from " + shown(body));
      }
    }
  }

  private static void assertOneLine(InferenceRequestException e, String input) {
    String message = e.getMessage();
    assertNotNull(message, "no message for " + input);
    assertFalse(message.isBlank(), "blank message for " + input);
    assertTrue(message.length() <= MAX_MESSAGE_CHARS,
        "message of " + message.length() + " chars for " + input + ": " + message);
    assertTrue(message.indexOf('\n') < 0 && message.indexOf('\r') < 0,
        "message spans lines for " + input + ": " + message);
  }

  private static String shown(byte[] body) {
    String text = new String(body, 0, Math.min(body.length, 80), StandardCharsets.ISO_8859_1);
    return "'" + text.replaceAll("\\p{Cntrl}", "?") + "' (" + body.length + " bytes)";
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] insert(byte[] in, int at, byte[] piece) {
    byte[] out = new byte[in.length + piece.length];
    System.arraycopy(in, 0, out, 0, at);
    System.arraycopy(piece, 0, out, at, piece.length);
    System.arraycopy(in, at, out, at + piece.length, in.length - at);
    return out;
  }
}
