package dev.o2v.benchmarks.soak;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.StringJoiner;

/** Builds the soak's requests: valid pairs and embeddings, and the ways a request goes wrong. */
final class SoakTraffic {

  /** What a request tries; valid kinds expect 200, invalid ones a 4xx. */
  enum Kind {
    PAIR_JSON(true),
    EMBED_JSONLINES(true),
    SLOW(true),
    MALFORMED(false),
    OUT_OF_VOCAB(false),
    WRONG_CONTENT_TYPE(false),
    OVERSIZED(false),
    DISCONNECT(false);

    private final boolean valid;

    Kind(boolean valid) {
      this.valid = valid;
    }

    /** True when the request is well formed and expects 200. */
    boolean valid() {
      return valid;
    }
  }

  private static final String JSON = "application/json";
  private static final String JSONLINES = "application/jsonlines";

  private final int vocab0;
  private final int vocab1;
  private final int maxBodyBytes;

  SoakTraffic(int vocab0, int vocab1, int maxBodyBytes) {
    this.vocab0 = vocab0;
    this.vocab1 = vocab1;
    this.maxBodyBytes = maxBodyBytes;
  }

  /** A kind drawn with fixed weights: mostly valid, every failure mode regularly. */
  static Kind pick(SplittableRandom random) {
    int r = random.nextInt(100);
    if (r < 40) {
      return Kind.PAIR_JSON;
    } else if (r < 55) {
      return Kind.EMBED_JSONLINES;
    } else if (r < 63) {
      return Kind.MALFORMED;
    } else if (r < 70) {
      return Kind.OUT_OF_VOCAB;
    } else if (r < 76) {
      return Kind.WRONG_CONTENT_TYPE;
    } else if (r < 82) {
      return Kind.OVERSIZED;
    } else if (r < 92) {
      return Kind.SLOW;
    }
    return Kind.DISCONNECT;
  }

  /** A whole request (head and body) of {@code kind}. */
  byte[] request(Kind kind, SplittableRandom random) {
    switch (kind) {
      case PAIR_JSON:
        return post(JSON, pairs(random, 0));
      case EMBED_JSONLINES:
        return post(JSONLINES, embeddingLines(random));
      case SLOW:
      case DISCONNECT:
        return random.nextBoolean()
            ? post(JSON, pairs(random, 0))
            : post(JSONLINES, embeddingLines(random));
      case MALFORMED:
        return post(JSON, malformed(random));
      case OUT_OF_VOCAB:
        return post(random.nextBoolean() ? JSON : JSONLINES, outOfVocab(random));
      case WRONG_CONTENT_TYPE:
        return post(random.nextBoolean() ? "text/csv" : "application/x-recordio-protobuf",
            pairs(random, 0));
      case OVERSIZED:
        // Only the head: the declared length alone is refused, and no unread bytes linger.
        return RawHttp.head("POST", "/invocations", JSON, maxBodyBytes + 1L);
      default:
        throw new IllegalStateException("unknown kind " + kind);
    }
  }

  /** A {@code GET /ping}. */
  static byte[] ping() {
    return RawHttp.head("GET", "/ping", null, -1);
  }

  private static byte[] post(String contentType, String body) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    byte[] head = RawHttp.head("POST", "/invocations", contentType, bytes.length);
    byte[] request = Arrays.copyOf(head, head.length + bytes.length);
    System.arraycopy(bytes, 0, request, head.length, bytes.length);
    return request;
  }

  /** {@code {"instances": [...]}} of 1 to 8 pairs; {@code shift} is added to every id. */
  private String pairs(SplittableRandom random, int shift) {
    StringJoiner instances = new StringJoiner(", ", "{\"instances\": [", "]}");
    int count = 1 + random.nextInt(8);
    for (int i = 0; i < count; i++) {
      instances.add("{\"in0\": " + ids(random, vocab0, shift) + ", \"in1\": "
          + ids(random, vocab1, shift) + "}");
    }
    return instances.toString();
  }

  /** 1 to 8 JSON Lines records, each with one side. */
  private String embeddingLines(SplittableRandom random) {
    StringBuilder lines = new StringBuilder();
    int count = 1 + random.nextInt(8);
    for (int i = 0; i < count; i++) {
      boolean left = random.nextBoolean();
      lines.append(left ? "{\"in0\": " : "{\"in1\": ")
          .append(ids(random, left ? vocab0 : vocab1, 0)).append("}\n");
    }
    return lines.toString();
  }

  /** A valid body cut short, or one with a broken token; never valid JSON. */
  private String malformed(SplittableRandom random) {
    String valid = pairs(random, 0);
    switch (random.nextInt(3)) {
      case 0:
        return valid.substring(0, random.nextInt(valid.length()));
      case 1:
        return valid.replaceFirst(", ", ",, ");
      default:
        return "\u0000\u00ff" + valid;
    }
  }

  private String outOfVocab(SplittableRandom random) {
    return random.nextBoolean()
        ? pairs(random, Math.max(vocab0, vocab1))
        : "{\"in0\": [" + (vocab0 + random.nextInt(1000)) + "]}\n";
  }

  private static String ids(SplittableRandom random, int vocab, int shift) {
    StringJoiner ids = new StringJoiner(", ", "[", "]");
    int length = 1 + random.nextInt(10);
    for (int i = 0; i < length; i++) {
      ids.add(Integer.toString(shift + random.nextInt(vocab)));
    }
    return ids.toString();
  }
}
